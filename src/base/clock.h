/* The one clock helper: nanoseconds as int64 on the monotonic and the
 * wall clock. */
#ifndef FANOTOP_CLOCK_H
#define FANOTOP_CLOCK_H

#include <stdint.h>

#define CLOCK_NS_PER_MS INT64_C(1000000)
#define CLOCK_NS_PER_S  INT64_C(1000000000)

/* CLOCK_MONOTONIC in ns: for intervals, deadlines and rates. */
int64_t clock_mono_ns(void);

/* CLOCK_REALTIME in ns since the epoch: for event times. */
int64_t clock_real_ns(void);

/* Sleep NS nanoseconds (nothing when NS <= 0); a signal may cut it short. */
void clock_nap_ns(int64_t ns);

#endif
