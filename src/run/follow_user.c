#include "config.h"

#include "run/follow_user.h"
#include "base/safeout.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

/* su's defaults when /etc/login.defs does not say. */
#define DEFAULT_PATH   "/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games"
#define DEFAULT_SUPATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* PATH as su sets it for UID: KEY (ENV_PATH or ENV_SUPATH) of login.defs,
 * whose value is "PATH=..." or the bare list. Malloc'd "PATH=...". */
static char *login_path(uid_t uid)
{
    const char *key = uid == 0 ? "ENV_SUPATH" : "ENV_PATH";
    const char *fallback = uid == 0 ? DEFAULT_SUPATH : DEFAULT_PATH;
    char *found = NULL;
    FILE *f = fopen("/etc/login.defs", "re");
    char *line = NULL;
    size_t cap = 0;
    size_t klen = strlen(key);
    while (f && !found && getline(&line, &cap, f) > 0) {
        if (strncmp(line, key, klen) != 0 || (line[klen] != ' ' && line[klen] != '\t'))
            continue;
        char *v = line + klen + strspn(line + klen, " \t");
        v[strcspn(v, " \t\r\n")] = '\0';
        if (strncmp(v, "PATH=", 5) == 0)
            v += 5;
        if (*v && asprintf(&found, "PATH=%s", v) < 0)
            found = NULL;
    }
    free(line);
    if (f)
        fclose(f);
    if (!found && asprintf(&found, "PATH=%s", fallback) < 0)
        found = NULL;
    return found;
}

/* Ours that the command keeps: the terminal type and the locale. */
static bool kept(const char *entry)
{
    return strncmp(entry, "TERM=", 5) == 0 || strncmp(entry, "LANG=", 5) == 0 ||
           strncmp(entry, "LC_", 3) == 0;
}

void follow_user_env_free(char **env)
{
    if (!env)
        return;
    for (char **e = env; *e; e++)
        free(*e);
    free(env);
}

char **follow_user_env(uid_t uid)
{
    const struct passwd *pw = getpwuid(uid);
    size_t n = 0;
    for (char **e = environ; e && *e; e++)
        n++;
    char **env = calloc(n + 6, sizeof *env);
    if (!env || !pw)
        goto fail;
    size_t k = 0;
    const char *shell = pw->pw_shell && *pw->pw_shell ? pw->pw_shell : "/bin/sh";
    if (asprintf(&env[k++], "HOME=%s", pw->pw_dir ? pw->pw_dir : "/") < 0 ||
        asprintf(&env[k++], "USER=%s", pw->pw_name) < 0 ||
        asprintf(&env[k++], "LOGNAME=%s", pw->pw_name) < 0 ||
        asprintf(&env[k++], "SHELL=%s", shell) < 0) {
        env[k - 1] = NULL;
        goto fail;
    }
    if (!(env[k++] = login_path(uid)))
        goto fail;
    for (char **e = environ; e && *e; e++)
        if (kept(*e) && !(env[k++] = strdup(*e)))
            goto fail;
    return env;
fail:
    follow_user_env_free(env);
    return NULL;
}

/* ---- the output relay ------------------------------------------------------- */

int follow_relay_open(struct follow_relay *r, FILE *out_to)
{
    int p[2][2];
    r->rd[0] = r->rd[1] = r->wr[0] = r->wr[1] = -1;
    if (pipe2(p[0], O_CLOEXEC) < 0)
        return -1;
    if (pipe2(p[1], O_CLOEXEC) < 0) {
        int e = errno;
        close(p[0][0]);
        close(p[0][1]);
        errno = e;
        return -1;
    }
    FILE *dest[2] = {out_to, stderr};
    for (int i = 0; i < 2; i++) {
        r->rd[i] = p[i][0];
        r->wr[i] = p[i][1];
        fcntl(r->rd[i], F_SETFL, O_NONBLOCK);
        /* The command writes what it likes: a terminal sees it escaped. */
        r->own[i] = safeout_is_tty(dest[i]);
        r->to[i] = r->own[i] ? safeout_stream(dest[i], false) : dest[i];
        if (!r->to[i]) {
            r->own[i] = false;
            r->to[i] = dest[i];
        }
    }
    return 0;
}

void follow_relay_child(struct follow_relay *r)
{
    setsid();
    int null = open("/dev/null", O_RDONLY);
    if (null >= 0 && null != 0) {
        dup2(null, 0);
        close(null);
    }
    dup2(r->wr[0], 1);
    dup2(r->wr[1], 2);
}

void follow_relay_parent(struct follow_relay *r)
{
    for (int i = 0; i < 2; i++) {
        if (r->wr[i] >= 0)
            close(r->wr[i]);
        r->wr[i] = -1;
    }
}

bool follow_relay_pump(struct follow_relay *r)
{
    char buf[4096];
    for (int i = 0; i < 2; i++) {
        /* A bounded share per call: a chatty command must not hold up the
         * events. */
        for (int rounds = 0; r->rd[i] >= 0 && rounds < 16; rounds++) {
            ssize_t n = read(r->rd[i], buf, sizeof buf);
            if (n > 0) {
                fwrite(buf, 1, (size_t)n, r->to[i]);
                continue;
            }
            if (n < 0 && (errno == EAGAIN || errno == EINTR))
                break;
            close(r->rd[i]); /* its end, or an error: nothing more comes */
            r->rd[i] = -1;
        }
        fflush(r->to[i]);
    }
    return r->rd[0] >= 0 || r->rd[1] >= 0;
}

void follow_relay_close(struct follow_relay *r)
{
    if (r->rd[0] >= 0 || r->rd[1] >= 0)
        follow_relay_pump(r);
    follow_relay_parent(r);
    for (int i = 0; i < 2; i++) {
        if (r->rd[i] >= 0)
            close(r->rd[i]);
        r->rd[i] = -1;
        if (r->own[i] && r->to[i])
            fclose(r->to[i]);
        r->own[i] = false;
        r->to[i] = NULL;
    }
}
