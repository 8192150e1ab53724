/* What fanotop writes, where an attacker may have been first: output files
 * (atomic and streamed) refuse a final symbolic link, a link of another
 * user's on the way, and another user's file or FIFO, never wait for a FIFO's reader, write a device as the
 * device and replace only the invoking user's own file, by a new one; and
 * what goes to a terminal (safeout) is escaped, even cut mid-character. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/atomic_file.h"
#include "base/safeout.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* Another user than the one running the tests. */
#define OTHER_UID 65534

static char *scratch(void)
{
    char tmpl[] = "/tmp/fanotop-safe.XXXXXX";
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    return strdup(d);
}

static char *join(const char *dir, const char *name)
{
    char *p;
    assert_true(asprintf(&p, "%s/%s", dir, name) > 0);
    return p;
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static const char *slurp(const char *path)
{
    static char buf[4096];
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void cleanup(char *dir)
{
    char *cmd;
    assert_true(asprintf(&cmd, "rm -rf '%s'", dir) > 0);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(dir);
}

static void needs_root(void)
{
    if (geteuid() != 0)
        skip();
}

/* ---- refusals ---- */

static void a_final_symlink_is_never_followed(void **state)
{
    (void)state;
    char *d = scratch();
    char *victim = join(d, "victim"), *link = join(d, "out.csv");
    put(victim, "secret\n");
    assert_int_equal(symlink(victim, link), 0);
    char err[512];
    struct atomic_file af;
    assert_int_equal(atomic_file_open(&af, link, 0600, err, sizeof err), -1);
    assert_non_null(strstr(err, "a symbolic link (not followed)"));
    assert_null(atomic_file_open_stream(link, err, sizeof err));
    assert_non_null(strstr(err, "a symbolic link (not followed)"));
    FILE *fp;
    assert_int_equal(atomic_file_probe_stream(link, &fp, err, sizeof err), -1);
    assert_string_equal(slurp(victim), "secret\n");
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    free(victim);
    free(link);
    cleanup(d);
}

static void no_link_of_another_user_leads_the_way(void **state)
{
    (void)state;
    needs_root();
    char *d = scratch();
    char *target = join(d, "target"), *theirs = join(d, "theirs"), *roots = join(d, "roots");
    assert_int_equal(mkdir(target, 0700), 0);
    assert_int_equal(symlink(target, theirs), 0);
    assert_int_equal(lchown(theirs, OTHER_UID, OTHER_UID), 0);
    assert_int_equal(symlink("theirs", roots), 0); /* root's link, to theirs */
    char *via_theirs = join(theirs, "x.csv"), *via_roots = join(roots, "x.csv");
    char err[512], want[600];
    snprintf(want, sizeof want,
             "cannot write %s: a symbolic link of another user, not followed (uid %d)", theirs,
             OTHER_UID);
    struct atomic_file af;
    assert_int_equal(atomic_file_open(&af, via_theirs, 0600, err, sizeof err), -1);
    assert_string_equal(err, want);
    assert_null(atomic_file_open_stream(via_roots, err, sizeof err)); /* root's link, then theirs */
    assert_string_equal(err, want);
    /* Root's own link, straight to the directory, is followed. */
    assert_int_equal(unlink(roots), 0);
    assert_int_equal(symlink(target, roots), 0);
    FILE *fp = atomic_file_open_stream(via_roots, err, sizeof err);
    assert_non_null(fp);
    assert_int_equal(fclose(fp), 0);
    char *made = join(target, "x.csv");
    assert_int_equal(access(made, F_OK), 0);
    free(made);
    free(via_theirs);
    free(via_roots);
    free(target);
    free(theirs);
    free(roots);
    cleanup(d);
}

static void another_users_file_is_not_written_nor_replaced(void **state)
{
    (void)state;
    needs_root();
    char *d = scratch();
    char *path = join(d, "theirs.csv");
    put(path, "theirs\n");
    assert_int_equal(chown(path, OTHER_UID, OTHER_UID), 0);
    struct stat before, after;
    assert_int_equal(stat(path, &before), 0);
    char err[512], want[600];
    snprintf(want, sizeof want, "cannot write %s: it belongs to another user (uid %d)", path,
             OTHER_UID);
    struct atomic_file af;
    assert_int_equal(atomic_file_open(&af, path, 0600, err, sizeof err), -1);
    assert_string_equal(err, want);
    assert_null(atomic_file_open_stream(path, err, sizeof err));
    assert_string_equal(err, want);
    assert_int_equal(stat(path, &after), 0);
    assert_int_equal(after.st_ino, before.st_ino);
    assert_string_equal(slurp(path), "theirs\n");
    free(path);
    cleanup(d);
}

static void another_users_fifo_is_refused_even_with_a_reader(void **state)
{
    (void)state;
    needs_root();
    char *d = scratch();
    char *path = join(d, "fifo");
    assert_int_equal(mkfifo(path, 0666), 0);
    assert_int_equal(chown(path, OTHER_UID, OTHER_UID), 0);
    int rd = open(path, O_RDONLY | O_NONBLOCK);
    assert_true(rd >= 0);
    char err[512];
    assert_null(atomic_file_open_stream(path, err, sizeof err));
    assert_non_null(strstr(err, "belongs to another user"));
    char c;
    assert_int_equal(read(rd, &c, 1), 0); /* nothing came, and no writer ever opened it */
    close(rd);
    free(path);
    cleanup(d);
}

static void a_fifo_without_reader_is_refused_at_once(void **state)
{
    (void)state;
    char *d = scratch();
    char *path = join(d, "fifo");
    assert_int_equal(mkfifo(path, 0600), 0);
    char err[512], want[600];
    snprintf(want, sizeof want, "cannot write %s: a FIFO with no reader", path);
    FILE *fp;
    assert_int_equal(atomic_file_probe_stream(path, &fp, err, sizeof err), -1);
    assert_string_equal(err, want);
    assert_null(atomic_file_open_stream(path, err, sizeof err));
    assert_string_equal(err, want);
    struct atomic_file af;
    assert_int_equal(atomic_file_open(&af, path, 0600, err, sizeof err), -1);
    assert_string_equal(err, want);
    free(path);
    cleanup(d);
}

/* ---- what is written ---- */

static void the_users_own_fifo_with_a_reader_is_written(void **state)
{
    (void)state;
    char *d = scratch();
    char *path = join(d, "fifo");
    assert_int_equal(mkfifo(path, 0600), 0);
    int rd = open(path, O_RDONLY | O_NONBLOCK);
    assert_true(rd >= 0);
    char err[512];
    FILE *fp;
    assert_int_equal(atomic_file_probe_stream(path, &fp, err, sizeof err), 0);
    assert_non_null(fp);
    assert_int_equal(fcntl(fileno(fp), F_GETFL) & O_NONBLOCK, 0); /* writes may wait */
    fputs("line\n", fp);
    assert_int_equal(fclose(fp), 0);
    char buf[16] = "";
    assert_int_equal(read(rd, buf, sizeof buf), 5);
    assert_memory_equal(buf, "line\n", 5);
    close(rd);
    free(path);
    cleanup(d);
}

static void a_device_is_written_as_the_device(void **state)
{
    (void)state;
    needs_root();
    char *d = scratch();
    char *path = join(d, "n");
    assert_int_equal(mknod(path, S_IFCHR | 0666, makedev(1, 3)), 0); /* /dev/null's */
    char err[512];
    struct atomic_file af;
    assert_int_equal(atomic_file_open(&af, path, 0600, err, sizeof err), 0);
    fputs("rows\n", af.fp);
    assert_int_equal(atomic_file_commit(&af, err, sizeof err), 0);
    FILE *fp = atomic_file_open_stream(path, err, sizeof err);
    assert_non_null(fp);
    fputs("events\n", fp);
    assert_int_equal(fclose(fp), 0);
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    assert_int_equal(st.st_rdev, makedev(1, 3));
    free(path);
    cleanup(d);
}

static void a_full_device_reports_its_error_and_stays(void **state)
{
    (void)state;
    struct stat st;
    if (stat("/dev/full", &st) != 0 || !S_ISCHR(st.st_mode))
        skip();
    char err[512];
    struct atomic_file af;
    assert_int_equal(atomic_file_open(&af, "/dev/full", 0600, err, sizeof err), 0);
    for (int i = 0; i < 1000; i++)
        fputs("0123456789\n", af.fp);
    assert_int_equal(atomic_file_commit(&af, err, sizeof err), -1);
    assert_string_equal(err, "cannot write /dev/full: No space left on device");
    assert_int_equal(stat("/dev/full", &st), 0);
    assert_true(S_ISCHR(st.st_mode));
}

static void a_terminal_named_as_the_file_gets_it_escaped(void **state)
{
    (void)state;
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0)
        skip();
    char name[256];
    assert_int_equal(ptsname_r(master, name, sizeof name), 0);
    int keep = open(name, O_RDWR | O_NOCTTY); /* the terminal stays while we look */
    assert_true(keep >= 0);
    char err[512];
    struct atomic_file af;
    assert_int_equal(atomic_file_open(&af, name, 0600, err, sizeof err), 0);
    fputs("a\x1b]0;t\x07z", af.fp);
    assert_int_equal(atomic_file_commit(&af, err, sizeof err), 0);
    char got[64] = "";
    ssize_t n = read(master, got, sizeof got - 1);
    assert_true(n > 0);
    got[n] = '\0';
    assert_string_equal(got, "a\\x1b]0;t\\x07z");
    close(keep);
    close(master);
}

static void the_users_own_file_is_replaced_by_a_new_one(void **state)
{
    (void)state;
    char *d = scratch();
    char *path = join(d, "rec.csv"), *other = join(d, "other-link");
    put(path, "old\n");
    assert_int_equal(link(path, other), 0);
    char err[512];
    FILE *fp = atomic_file_open_stream(path, err, sizeof err);
    assert_non_null(fp);
    fputs("new\n", fp);
    assert_int_equal(fclose(fp), 0);
    assert_string_equal(slurp(path), "new\n");
    assert_string_equal(slurp(other), "old\n"); /* never written into */
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal(st.st_nlink, 1);

    struct atomic_file af;
    assert_int_equal(atomic_file_open(&af, path, 0600, err, sizeof err), 0);
    fputs("newer\n", af.fp);
    assert_int_equal(atomic_file_commit(&af, err, sizeof err), 0);
    assert_string_equal(slurp(path), "newer\n");
    assert_string_equal(slurp(other), "old\n");
    free(path);
    free(other);
    cleanup(d);
}

static void under_sudo_only_the_users_file_is_replaced(void **state)
{
    (void)state;
    needs_root();
    char *d = scratch();
    char *mine = join(d, "mine.csv"), *roots = join(d, "roots.csv");
    put(mine, "mine\n");
    put(roots, "root's\n");
    assert_int_equal(chown(mine, OTHER_UID, OTHER_UID), 0);
    setenv("SUDO_UID", "65534", 1);
    setenv("SUDO_GID", "65534", 1);
    char err[512];
    FILE *fp = atomic_file_open_stream(roots, err, sizeof err);
    FILE *ok = atomic_file_open_stream(mine, err, sizeof err);
    unsetenv("SUDO_UID");
    unsetenv("SUDO_GID");
    assert_null(fp);
    assert_non_null(ok);
    fputs("new\n", ok);
    assert_int_equal(fclose(ok), 0);
    assert_string_equal(slurp(roots), "root's\n");
    assert_string_equal(slurp(mine), "new\n");
    struct stat st;
    assert_int_equal(stat(mine, &st), 0);
    assert_int_equal(st.st_uid, OTHER_UID);
    assert_int_equal(st.st_mode & 07777, 0600);
    free(mine);
    free(roots);
    cleanup(d);
}

/* ---- terminal escaping ---- */

/* What STREAM makes of the writes W[0..N), each flushed on its own. */
static const char *through_stream(const char *const *w, size_t n)
{
    static char out[512];
    memset(out, 0, sizeof out);
    FILE *mem = fmemopen(out, sizeof out - 1, "w");
    assert_non_null(mem);
    FILE *fp = safeout_stream(mem, true);
    assert_non_null(fp);
    for (size_t i = 0; i < n; i++) {
        fputs(w[i], fp);
        fflush(fp);
    }
    assert_int_equal(fclose(fp), 0);
    return out;
}

static void the_stream_escapes_controls_and_keeps_newlines(void **state)
{
    (void)state;
    const char *w[] = {"a\x1b]0;t\x07"
                       "b\n",
                       "c\rd\xc2\x9b"
                       "e\n"};
    assert_string_equal(through_stream(w, 2), "a\\x1b]0;t\\x07b\n"
                                              "c\\rd\\u{009b}e\n");
}

static void the_stream_shows_a_backslash_as_the_screen_does(void **state)
{
    (void)state;
    const char *w[] = {"C:\\x1b is text\n"};
    assert_string_equal(through_stream(w, 1), "C:\\\\x1b is text\n");
}

static void the_stream_joins_a_character_cut_between_writes(void **state)
{
    (void)state;
    /* U+65E5 (3 bytes) cut after its first byte, then after its second. */
    const char *w[] = {"x\xe6", "\x97", "\xa5y\n"};
    assert_string_equal(through_stream(w, 3), "x\xe6\x97\xa5y\n");
    /* A cut that never goes on is escaped at the end. */
    const char *cut[] = {"x\xe6\x97"};
    assert_string_equal(through_stream(cut, 1), "x\\xe6\\x97");
}

static void messages_are_escaped(void **state)
{
    (void)state;
    char out[256] = "";
    FILE *mem = fmemopen(out, sizeof out - 1, "w");
    assert_non_null(mem);
    const char msg[] = "cannot write /tmp/\x1b[2Jx\\y: \xe2\x80\xae!\n";
    assert_int_equal(safeout_write(mem, msg, sizeof msg - 1), 0);
    fclose(mem);
    assert_string_equal(out, "cannot write /tmp/\\x1b[2Jx\\y: \\u{202e}!\n");
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_final_symlink_is_never_followed),
        cmocka_unit_test(no_link_of_another_user_leads_the_way),
        cmocka_unit_test(another_users_file_is_not_written_nor_replaced),
        cmocka_unit_test(another_users_fifo_is_refused_even_with_a_reader),
        cmocka_unit_test(a_fifo_without_reader_is_refused_at_once),
        cmocka_unit_test(the_users_own_fifo_with_a_reader_is_written),
        cmocka_unit_test(a_device_is_written_as_the_device),
        cmocka_unit_test(a_full_device_reports_its_error_and_stays),
        cmocka_unit_test(a_terminal_named_as_the_file_gets_it_escaped),
        cmocka_unit_test(the_users_own_file_is_replaced_by_a_new_one),
        cmocka_unit_test(under_sudo_only_the_users_file_is_replaced),
        cmocka_unit_test(the_stream_escapes_controls_and_keeps_newlines),
        cmocka_unit_test(the_stream_shows_a_backslash_as_the_screen_does),
        cmocka_unit_test(the_stream_joins_a_character_cut_between_writes),
        cmocka_unit_test(messages_are_escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
