#include "config.h"

#include "base/iso8601.h"
#include "base/clock.h"

#include <stdio.h>

/* Days since 1970-01-01 of a date: shift the year to start in March so the
 * leap day is the last day of the year. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The date of a day count since 1970-01-01: the inverse of days_from_civil. */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

size_t iso8601_format(int64_t time_ns, char *buf, size_t len)
{
    /* Floor division, so times before 1970 still count forward within a second. */
    int64_t secs = time_ns / CLOCK_NS_PER_S, rem = time_ns % CLOCK_NS_PER_S;
    if (rem < 0) {
        rem += CLOCK_NS_PER_S;
        secs--;
    }
    int64_t days = secs / 86400, sod = secs % 86400;
    if (sod < 0) {
        sod += 86400;
        days--;
    }
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    int n = snprintf(buf, len, "%04lld-%02d-%02dT%02d:%02d:%02d.%06dZ", (long long)y, m, d,
                     (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60), (int)(rem / 1000));
    return n < 0 ? 0 : (size_t)n;
}

static bool digits2(const char *s, int *v)
{
    if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
        return false;
    *v = (s[0] - '0') * 10 + (s[1] - '0');
    return true;
}

bool iso8601_parse(const char *s, size_t len, int64_t *ns)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int c, yy, mo, d, h, mi, sec;
    if (len < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
        return false;
    if (!digits2(s, &c) || !digits2(s + 2, &yy) || !digits2(s + 5, &mo) || !digits2(s + 8, &d) ||
        !digits2(s + 11, &h) || !digits2(s + 14, &mi) || !digits2(s + 17, &sec))
        return false;
    int year = c * 100 + yy;
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap) ||
        h > 23 || mi > 59 || sec > 59)
        return false;
    size_t i = 19;
    int64_t frac = 0;
    if (s[i] == '.') {
        int nd = 0;
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, nd++) {
            if (nd == 9)
                return false;
            frac = frac * 10 + (s[i] - '0');
        }
        if (nd == 0)
            return false;
        for (; nd < 9; nd++)
            frac *= 10;
    }
    if (i + 1 != len || s[i] != 'Z')
        return false;
    int64_t secs = days_from_civil(year, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
    /* int64 ns reach from 1677-09-21T00:12:43.145224192Z to 2262-04-11T23:47:16.854775807Z. */
    const int64_t max_s = INT64_MAX / CLOCK_NS_PER_S, max_frac = INT64_MAX % CLOCK_NS_PER_S;
    if (secs > max_s || secs < -max_s - 1 || (secs == max_s && frac > max_frac) ||
        (secs == -max_s - 1 && frac < CLOCK_NS_PER_S - max_frac - 1))
        return false;
    /* At the lower end secs * 1e9 alone would overflow: add a negative fraction. */
    *ns = secs < 0 ? (secs + 1) * CLOCK_NS_PER_S + (frac - CLOCK_NS_PER_S)
                   : secs * CLOCK_NS_PER_S + frac;
    return true;
}
