/* The terminal: curses set-up and teardown, the colour table, drawing a
 * formatted line, keys and mouse, the glyphs that depend on its charset.
 * The one place that restores the terminal, on every way out (quit, stop
 * signals via the main loop, exit(), faults). */
#include "config.h"

#include "ui/ui.h"

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

/* The colour table: every style's colour pair and its monochrome attribute
 * (--no-color, NO_COLOR, or a terminal without colours). -1 is the
 * terminal's default colour. In monochrome the selected row is the one
 * reverse-video bar of the table: the column header is underlined. */
static const struct {
    short fg, bg;
    attr_t color_attr;
    attr_t mono_attr;
} styles[ST_NSTYLES] = {
    [ST_NORMAL] = {-1, -1, A_NORMAL, A_NORMAL},
    [ST_LABEL] = {COLOR_CYAN, -1, A_NORMAL, A_NORMAL},
    [ST_VALUE] = {-1, -1, A_BOLD, A_BOLD},
    [ST_WARN] = {COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD},
    [ST_PAUSED] = {COLOR_BLACK, COLOR_YELLOW, A_NORMAL, A_REVERSE},
    [ST_SPARK] = {COLOR_GREEN, -1, A_NORMAL, A_NORMAL},
    [ST_COLHEAD] = {COLOR_BLACK, COLOR_GREEN, A_NORMAL, A_UNDERLINE},
    [ST_COLHEAD_SORT] = {COLOR_BLACK, COLOR_CYAN, A_BOLD, A_BOLD | A_UNDERLINE},
    [ST_ROW_SEL] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE},
    [ST_ESCAPE] = {COLOR_MAGENTA, -1, A_BOLD, A_UNDERLINE},
    [ST_ESCAPE_SEL] = {COLOR_RED, COLOR_CYAN, A_BOLD, A_REVERSE | A_UNDERLINE},
    [ST_DIR] = {COLOR_BLUE, -1, A_BOLD, A_BOLD},
    [ST_DIR_SEL] = {COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE | A_BOLD},
    [ST_FKEY] = {-1, -1, A_NORMAL, A_NORMAL},
    [ST_FKEY_LABEL] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE},
    [ST_PROMPT] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE},
    [ST_STATUS] = {COLOR_GREEN, -1, A_BOLD, A_BOLD},
    [ST_ERROR] = {COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD},
    [ST_OK] = {COLOR_GREEN, -1, A_BOLD, A_BOLD},
    [ST_TITLE] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD},
    [ST_MENU] = {-1, -1, A_NORMAL, A_NORMAL},
    [ST_MENU_SEL] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE},
    [ST_HELP_KEY] = {COLOR_CYAN, -1, A_BOLD, A_BOLD},
};

static attr_t style_attr[ST_NSTYLES];
static short style_pair[ST_NSTYLES];

static SCREEN *screen;
static volatile sig_atomic_t term_active;
static struct termios saved_tio;
static bool have_tio;
static char restore_seq[256];
static size_t restore_len;

static const int fatal_sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
#define NFATAL (sizeof fatal_sigs / sizeof fatal_sigs[0])
static struct sigaction fatal_old[NFATAL];

/* A fault with the screen up: put the terminal back with what is safe in a
 * signal handler (write, tcsetattr), then let the previous handler (the
 * default, or a sanitizer's) deal with the fault when it happens again. */
static void on_fatal(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    if (term_active) {
        term_active = 0;
        ssize_t w = write(STDOUT_FILENO, restore_seq, restore_len);
        (void)w;
        if (have_tio)
            tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
    }
    for (size_t i = 0; i < NFATAL; i++)
        if (fatal_sigs[i] == sig)
            sigaction(sig, &fatal_old[i], NULL);
    if (!si || si->si_code <= 0) /* sent, not a fault: returning would not repeat it */
        raise(sig);
}

static void at_exit_restore(void)
{
    ui_term_stop();
}

static void add_restore(const char *cap)
{
    char *s = tigetstr((char *)cap);
    if (!s || s == (char *)-1)
        return;
    size_t n = strlen(s);
    if (restore_len + n < sizeof restore_seq) {
        memcpy(restore_seq + restore_len, s, n);
        restore_len += n;
    }
}

static void setup_styles(bool color)
{
    bool use = color && has_colors() && start_color() == OK;
    bool defaults = use && use_default_colors() == OK;
    for (int i = 0; i < ST_NSTYLES; i++) {
        style_pair[i] = 0;
        style_attr[i] = styles[i].mono_attr;
        if (!use || i + 1 >= COLOR_PAIRS)
            continue;
        short fg = styles[i].fg, bg = styles[i].bg;
        if (!defaults) {
            fg = fg < 0 ? COLOR_WHITE : fg;
            bg = bg < 0 ? COLOR_BLACK : bg;
        }
        if (fg < 0 && bg < 0) {
            style_attr[i] = styles[i].color_attr;
            continue;
        }
        init_pair((short)(i + 1), fg, bg);
        style_pair[i] = (short)(i + 1);
        style_attr[i] = styles[i].color_attr;
    }
}

bool ui_term_start(struct ui *ui)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fputs("fanotop: the screen needs a terminal on stdin and stdout (use --batch or "
              "--record)\n",
              stderr);
        return false;
    }
    have_tio = tcgetattr(STDIN_FILENO, &saved_tio) == 0;
    screen = newterm(NULL, stdout, stdin);
    if (!screen) {
        const char *t = getenv("TERM");
        fprintf(stderr, "fanotop: cannot use the terminal '%s' (check TERM)\n", t ? t : "");
        return false;
    }
    set_term(screen);
    term_active = 1;
    static bool registered;
    if (!registered) {
        atexit(at_exit_restore);
        registered = true;
    }
    restore_len = 0;
    add_restore("rmcup");
    add_restore("cnorm");
    add_restore("sgr0");
    static const char mouse_off[] = "\033[?1000l\033[?1002l\033[?1006l";
    if (restore_len + sizeof mouse_off < sizeof restore_seq) {
        memcpy(restore_seq + restore_len, mouse_off, sizeof mouse_off - 1);
        restore_len += sizeof mouse_off - 1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fatal;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < NFATAL; i++)
        sigaction(fatal_sigs[i], &sa, &fatal_old[i]);

    cbreak(); /* Ctrl-C and Ctrl-Z stay signals */
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    /* Esc closes a prompt at once, not after a second; a slow link that
     * splits escape sequences can ask for a longer wait. */
    if (!getenv("ESCDELAY"))
        set_escdelay(25);
    curs_set(0);
    setup_styles(ui->color);
    ui_term_set_mouse(ui->mouse);
    return true;
}

void ui_term_set_color(bool color)
{
    setup_styles(color);
}

void ui_term_set_mouse(bool on)
{
    if (!on) {
        mousemask(0, NULL);
        return;
    }
    mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    mouseinterval(0); /* a press is a click: no wait to tell double clicks */
}

void ui_term_stop(void)
{
    if (!term_active)
        return;
    term_active = 0;
    mousemask(0, NULL);
    curs_set(1);
    endwin();
    for (size_t i = 0; i < NFATAL; i++)
        sigaction(fatal_sigs[i], &fatal_old[i], NULL);
    if (screen) {
        delscreen(screen);
        screen = NULL;
    }
}

void ui_term_size(int *cols, int *lines)
{
    *cols = COLS;
    *lines = LINES;
}

void ui_term_resize(void)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
        resizeterm(ws.ws_row, ws.ws_col);
}

int ui_term_key(int timeout_ms)
{
    wtimeout(stdscr, timeout_ms < 0 ? 0 : timeout_ms);
    wint_t wc;
    int r = wget_wch(stdscr, &wc);
    if (r == ERR)
        return -1;
    if (r == KEY_CODE_YES)
        return UI_FN((int)wc);
    return (int)wc;
}

enum ui_mouse ui_term_mouse(int *x, int *y)
{
    MEVENT me;
    if (getmouse(&me) != OK)
        return UI_MOUSE_NONE;
    *x = me.x;
    *y = me.y;
    if (me.bstate & BUTTON4_PRESSED)
        return UI_MOUSE_WHEEL_UP;
    if (me.bstate & BUTTON5_PRESSED)
        return UI_MOUSE_WHEEL_DOWN;
    if (me.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED))
        return UI_MOUSE_CLICK;
    return UI_MOUSE_NONE;
}

void ui_term_begin(bool repaint)
{
    if (repaint) {
        werase(stdscr);
        clearok(curscr, TRUE);
    }
}

void ui_term_segment(const struct textline *l, int y, int x0, int w)
{
    if (y < 0 || y >= LINES)
        return;
    int x = x0 < 0 ? 0 : x0;
    if (x > 0 && x < l->width && l->cell[x].width == 0)
        x--; /* start on the whole glyph */
    for (; x < x0 + w && x < l->width && x < COLS; x++) {
        const struct textcell *c = &l->cell[x];
        if (c->width == 0)
            continue; /* the right half of the glyph drawn before */
        wchar_t ws[TEXTSAFE_MAX_MARKS + 2];
        size_t nw = 0;
        if (c->len == 1) {
            ws[nw++] = (unsigned char)c->bytes[0];
        } else {
            mbstate_t mb;
            memset(&mb, 0, sizeof mb);
            for (size_t i = 0; i < c->len && nw < TEXTSAFE_MAX_MARKS + 1;) {
                wchar_t wc;
                size_t k = mbrtowc(&wc, c->bytes + i, c->len - i, &mb);
                if (k == 0 || k > c->len - i)
                    break;
                ws[nw++] = wc;
                i += k;
            }
            if (!nw)
                ws[nw++] = L'?';
        }
        ws[nw] = L'\0';
        cchar_t cc;
        setcchar(&cc, ws, style_attr[c->style], style_pair[c->style], NULL);
        mvadd_wch(y, x, &cc);
    }
}

void ui_term_line(const struct textline *l, int y)
{
    if (y < 0 || y >= LINES)
        return;
    ui_term_segment(l, y, 0, l->width);
    if (l->width < COLS) {
        move(y, l->width);
        clrtoeol();
    }
}

void ui_term_end(int x, int y)
{
    if (x >= 0 && y >= 0) {
        curs_set(1);
        move(y, x);
    } else {
        curs_set(0);
    }
    wnoutrefresh(stdscr);
    doupdate();
}

const char *ui_glyph_down(const struct ui *ui)
{
    return (ui->tflags & TEXTSAFE_UTF8) ? "\xe2\x96\xbc" : "v";
}

const char *ui_glyph_up(const struct ui *ui)
{
    return (ui->tflags & TEXTSAFE_UTF8) ? "\xe2\x96\xb2" : "^";
}
