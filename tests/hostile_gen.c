/* Test helper: hostile file and process names, as any local user could
 * choose them. For each name a child process renames itself (prctl
 * PR_SET_NAME, the first 15 bytes) and creates, writes, reopens and reads
 * DIR/NAME; one more does the same on a path about 4000 bytes long. The
 * children stay alive until a line arrives on stdin, so that a monitor reads
 * their names from /proc while they still exist.
 *
 *   hostile_gen DIR MANIFEST
 *
 * MANIFEST gets one line per name: the file path and the comm, both in hex.
 * "ready N" on stdout says that N children have done their operations. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_NAMES 400
#define NAME_MAX_BYTES 255
#define COMM_BYTES 15

static char *names[MAX_NAMES];
static size_t nnames;
static int done[2], release[2]; /* children say done; their release is EOF */

static void add(const char *s, size_t n)
{
    if (n == 0 || n > NAME_MAX_BYTES || memchr(s, '/', n) || memchr(s, '\0', n) ||
        (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
        return;
    for (size_t i = 0; i < nnames; i++)
        if (strlen(names[i]) == n && memcmp(names[i], s, n) == 0)
            return;
    if (nnames == MAX_NAMES)
        return;
    names[nnames] = malloc(n + 1);
    if (!names[nnames])
        exit(1);
    memcpy(names[nnames], s, n);
    names[nnames][n] = '\0';
    nnames++;
}

static void adds(const char *s)
{
    add(s, strlen(s));
}

static void addf(const char *a, const char *b, const char *c)
{
    char buf[NAME_MAX_BYTES + 1];
    int n = snprintf(buf, sizeof buf, "%s%s%s", a, b, c);
    if (n > 0 && n < (int)sizeof buf)
        add(buf, (size_t)n);
}

static void make_names(void)
{
    static const char *const escapes[] = {
        "\x1b[31mred\x1b[0m",        /* colour */
        "\x1b]0;pwned-title\x07",    /* OSC 0: window title */
        "\x1b]2;pwned-title\x1b\\",  /* OSC 2, ST-terminated */
        "\x1b]52;c;aGFja2Vk\x07",    /* OSC 52: write the clipboard */
        "\x1b[2J\x1b[Hclear",        /* clear the screen, home */
        "\x1b[?1049hsaltscreen",     /* alternate screen */
        "\x1b[6n",                   /* cursor position report: an answer typed back */
        "\x1bPqdcs\x1b\\",           /* DCS */
        "\x1b[8mhidden",             /* concealed text */
        "\x1b[1;1Hhome",             /* cursor move */
        "\x1b" "c-reset",            /* full reset */
        "\x1b[?25lnocursor",         /* hide the cursor */
        "\x1b[1000;1000t",           /* window resize (xterm) */
        "\x1b]8;;http:evil\x1b\\link", /* hyperlink */
        "\x9b" "31m-c1csi",          /* 8-bit CSI: not UTF-8 */
        "\xc2\x9b" "31m-c1utf8",     /* 8-bit CSI as UTF-8 (U+009B) */
        "\x07" "bell",
        "\x08\x08\x08" "backspaces",
    };
    static const char *const invalid[] = {
        "\xff", "\xfe\xff", "\xc0\xaf", "\xe0\x80\xaf", "\xf0\x80\x80\xaf", "\xed\xa0\x80",
        "\xed\xbf\xbf", "\xf8\x88\x80\x80\x80", "\xe2\x82", "\xe2\x82" "A", "\x80" "cont",
        "\xf4\x90\x80\x80", "caf\xe9", "\xc3",
    };
    static const char *const unicode[] = {
        "abc\xe2\x80\xae" "gnp.exe",   /* U+202E right-to-left override */
        "\xe2\x81\xa6" "isolate\xe2\x81\xa9", /* U+2066 .. U+2069 */
        "zero\xe2\x80\x8bwidth",       /* U+200B */
        "line\xe2\x80\xa8sep",         /* U+2028 */
        "\xef\xbb\xbf" "bom",          /* U+FEFF */
        "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", /* wide characters */
        "e\xcc\x81\xcc\x81\xcc\x81",   /* combining marks */
        "\xf0\x9f\x98\x80" "emoji",
    };
    static const char *const leads[] = {"-", "=", "+", "@", "\t", "\r", "'", "\"", ",", "\n"};
    static const char *const bodies[] = {
        "cmd|' /C calc'!A0", "1+1", "SUM(A1:A9)", "HYPERLINK(\"http:x\",\"y\")", "a,b",
        "q\"q", "rf", "x",
    };
    char c[2] = {0, 0};
    for (int b = 1; b < 0x20; b++) {
        c[0] = (char)b;
        addf("ctl-", c, "-mid");
        addf(c, "lead", "");
    }
    c[0] = 0x7f;
    addf("ctl-", c, "-mid");
    addf(c, "lead", "");
    for (size_t i = 0; i < sizeof escapes / sizeof escapes[0]; i++) {
        adds(escapes[i]);
        addf("=", escapes[i], "");
        addf("pre,", escapes[i], ",post");
    }
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        adds(invalid[i]);
        addf("bad,", invalid[i], "\"q\"");
        addf("-", invalid[i], "");
    }
    for (size_t i = 0; i < sizeof unicode / sizeof unicode[0]; i++) {
        adds(unicode[i]);
        addf("@", unicode[i], "");
    }
    for (size_t i = 0; i < sizeof leads / sizeof leads[0]; i++)
        for (size_t j = 0; j < sizeof bodies / sizeof bodies[0]; j++)
            addf(leads[i], bodies[j], "");
    static const char *const plain[] = {
        "a\rb", "a\nb", "a\r\nb", "\r", "\n", "\r\n", ",", "\"", ",,,", "\"\"\"", "a\"\"b",
        "back\\slash", "\\x1b-literal", "trailing-space ", " leading-space", "-",
    };
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        adds(plain[i]);
    /* Components of the largest size a name may have. */
    char big[NAME_MAX_BYTES + 1];
    memset(big, 'L', NAME_MAX_BYTES);
    add(big, NAME_MAX_BYTES);
    for (int i = 0; i + 2 <= NAME_MAX_BYTES - 1; i += 2)
        memcpy(big + i, "\xc3\xa9", 2); /* é, with one byte left over */
    big[NAME_MAX_BYTES - 1] = 'x';
    add(big, NAME_MAX_BYTES);
    memset(big, 'E', NAME_MAX_BYTES);
    memcpy(big + 100, "\x1b]0;deep-title\x07", 16);
    big[NAME_MAX_BYTES - 1] = '\xff';
    add(big, NAME_MAX_BYTES);
}

static void die(const char *what, const char *path)
{
    fprintf(stderr, "hostile_gen: %s %s: %s\n", what, path, strerror(errno));
    exit(1);
}

static void hex(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%02x", (unsigned char)s[i]);
}

/* A child: take the name, touch the file, say so, wait to be released. */
static pid_t spawn(const char *path, const char *comm)
{
    pid_t pid = fork();
    if (pid < 0)
        die("fork for", path);
    if (pid > 0)
        return pid;
    close(release[1]); /* or the release never reads EOF */
    close(done[0]);
    char name[COMM_BYTES + 1];
    snprintf(name, sizeof name, "%s", comm);
    if (prctl(PR_SET_NAME, name, 0, 0, 0) != 0)
        die("prctl for", path);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || write(fd, "x\n", 2) != 2 || close(fd) != 0)
        die("write", path);
    char buf[8];
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || read(fd, buf, sizeof buf) < 0 || close(fd) != 0)
        die("read", path);
    if (write(done[1], "d", 1) != 1)
        _exit(1);
    (void)!read(release[0], buf, 1); /* returns at EOF: the parent let go */
    _exit(0);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: hostile_gen DIR MANIFEST\n", stderr);
        return 2;
    }
    const char *dir = argv[1];
    make_names();
    FILE *man = fopen(argv[2], "w");
    if (!man)
        die("open", argv[2]);
    if (pipe(done) != 0 || pipe(release) != 0)
        die("pipe", "");

    static char path[8192];
    size_t children = 0;
    for (size_t i = 0; i < nnames; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        spawn(path, names[i]);
        hex(man, path, strlen(path));
        fputc(' ', man);
        size_t cl = strlen(names[i]) < COMM_BYTES ? strlen(names[i]) : COMM_BYTES;
        hex(man, names[i], cl);
        fputc('\n', man);
        children++;
    }
    /* A path near PATH_MAX: 15 directories of 250 bytes under DIR. */
    size_t len = (size_t)snprintf(path, sizeof path, "%s", dir);
    for (int d = 0; d < 15; d++) {
        path[len++] = '/';
        memset(path + len, 'a' + d, 250);
        len += 250;
        path[len] = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST)
            die("mkdir", path);
    }
    size_t room = 4000 > len + 1 ? 4000 - len - 1 : 1;
    path[len++] = '/';
    memset(path + len, 'z', room);
    len += room;
    path[len] = '\0';
    spawn(path, "deep-path");
    hex(man, path, len);
    fputc(' ', man);
    hex(man, "deep-path", 9);
    fputc('\n', man);
    children++;
    if (fclose(man) != 0)
        die("write", argv[2]);

    close(release[0]);
    close(done[1]);
    char b;
    for (size_t i = 0; i < children; i++)
        if (read(done[0], &b, 1) != 1)
            die("wait for", "children");
    printf("ready %zu\n", children);
    fflush(stdout);
    char line[64];
    if (!fgets(line, sizeof line, stdin)) {
        /* EOF: release them all the same */
    }
    close(release[1]);
    int status, bad = 0;
    while (wait(&status) > 0)
        bad |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    return bad;
}
