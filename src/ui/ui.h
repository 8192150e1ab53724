/* The terminal UI: main loop, key table and actions live in ui.c; the ui_*.c
 * files only draw (each formats its lines into a textline, then ui_term.c
 * puts them on the screen). Only ui*.c include curses. This header is shared
 * by the ui*.c files; the entry point ui_run is declared in app.h. */
#ifndef FANOTOP_UI_H
#define FANOTOP_UI_H

#include "run/app.h"
#include "model/store.h"
#include "base/textline.h"
#include "ui/ui_backlog.h"
#include "model/view.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Smaller terminals get one line saying so. */
#define UI_MIN_COLS    60
#define UI_MIN_LINES   10
#define UI_DETAIL_MAX  8    /* nested details panes */
#define UI_EDIT_MAX    4096 /* bytes in a prompt */
#define UI_HISTORY_MAX 50
#define UI_MAX_COLS    32
#define UI_MAX_FKEYS   16

/* Styles: ui_term.c maps each to a colour pair and to a monochrome attribute
 * in one table. */
enum ui_style {
    ST_NORMAL,
    ST_LABEL, /* header labels */
    ST_VALUE, /* header values */
    ST_WARN,  /* overflows, losses: non-zero */
    ST_PAUSED,
    ST_SPARK,
    ST_COLHEAD,
    ST_COLHEAD_SORT,
    ST_ROW_SEL,    /* the cursor's row */
    ST_ESCAPE,     /* \x1b and friends in a name, the ellipsis */
    ST_ESCAPE_SEL, /* the same in the cursor's row */
    ST_DIR,        /* tree directories */
    ST_DIR_SEL,
    ST_FKEY,       /* "F1" of the function-key line */
    ST_FKEY_LABEL, /* "Help" */
    ST_PROMPT,
    ST_STATUS,
    ST_ERROR,
    ST_OK,
    ST_TITLE, /* details title, help and menu titles */
    ST_MENU,
    ST_MENU_SEL,
    ST_HELP_KEY,
    ST_NSTYLES
};

/* Keys: a character is its code point; a curses key code (KEY_F(1) ...) has
 * UI_KEY_FN added, so that no character can be mistaken for one. */
#define UI_KEY_FN  0x40000000
#define UI_FN(k)   (UI_KEY_FN | (k))
#define UI_CTRL(c) ((c)&0x1f)
#define UI_ESC     27

/* What an action asks of the screen. */
enum ui_redraw {
    UI_NONE,    /* nothing changed */
    UI_DRAW,    /* draw again from the snapshot */
    UI_REPAINT, /* forget what the terminal shows and paint all (Ctrl-L, resize) */
    UI_QUIT,
};

enum ui_screen { UI_SCREEN_TABLE, UI_SCREEN_HELP, UI_SCREEN_SORT, UI_SCREEN_SETUP };

enum ui_prompt_kind {
    UI_PROMPT_NONE,
    UI_PROMPT_SEARCH,
    UI_PROMPT_FILTER,
    UI_PROMPT_EXPORT_VIEW,
    UI_PROMPT_EXPORT_EVENTS,
};

/* A one-line editor (UTF-8 text, cursor at a byte offset). */
struct ui_edit {
    char text[UI_EDIT_MAX];
    size_t len, pos;
};

/* What a key did to the line being edited. */
enum ui_edit_result {
    UI_EDIT_IGNORED, /* not an editing key */
    UI_EDIT_MOVED,   /* cursor moved, text unchanged */
    UI_EDIT_CHANGED,
};

/* One table on screen: the main view, or a details pane above it. */
struct ui_level {
    struct view *view;
    char *title; /* details: full path or command line; NULL for the main view */
    size_t cursor, top;
    bool stale;     /* the store moved on since its last refresh */
    size_t def_col; /* the kind's default sort, for "sorts as its type does" */
    bool def_desc;
};

/* Where things were drawn: the mouse and the keys need it. */
struct ui_layout {
    int cols, lines;
    bool too_small;
    int title_y, ntitle; /* details title lines */
    int colhead_y;
    int rows_y, nrows; /* table rows on screen */
    int msg_y;         /* the filter prompt's OK / error line, or -1 */
    int bottom_y;
    size_t ncol; /* visible columns: view column, x, width */
    size_t col[UI_MAX_COLS];
    int col_x[UI_MAX_COLS], col_w[UI_MAX_COLS];
    int nfkeys;
    struct {
        int x0, x1, key;
    } fkey[UI_MAX_FKEYS];
    int menu_x, menu_y, menu_w, menu_h, menu_top; /* the sort menu's box */
};

struct ui {
    struct app *app;
    const struct options *opt;
    struct store *st;
    struct ui_level level[UI_DETAIL_MAX + 1];
    size_t depth;               /* 0: the main view; N: N details panes */
    enum view_kind before_tree; /* where F5 in the tree view goes back to */
    bool tree_all;              /* what '*' did last */
    size_t sort_col;            /* the sort being applied by sort_by */
    bool sort_desc;

    struct ui_backlog backlog;
    bool paused;
    int64_t next_tick_ns, frozen_until_ns, last_refresh_ns;
    bool applying;              /* a tick is applying the backlog in slices */
    uint64_t apply_left;        /* events this tick still has to apply */
    uint64_t tick_events;       /* applied during this tick */
    unsigned quiet_ticks;       /* ticks in a row that applied nothing */
    struct store_totals totals; /* as of the last refresh */
    uint64_t kernel_overflows;  /* shown: source stats or markers, the larger */

    bool follow_tail; /* events view: the cursor sits on the newest row */
    size_t hscroll;   /* columns scrolled in long text columns */

    enum ui_screen screen;
    size_t help_top;
    size_t menu_sel;

    enum ui_prompt_kind prompt;
    struct ui_edit edit;
    char search[UI_EDIT_MAX]; /* last search text, for n and N */
    bool search_failed;
    struct filter *filter_before; /* in force when the filter prompt opened */
    bool filter_ok;
    struct filter_error filter_err;
    char *history[UI_HISTORY_MAX];
    size_t nhistory, history_pos;
    bool history_changed;
    bool export_jsonl;

    char status[1024];
    bool status_error;
    int64_t status_until_ns;

    bool child_exited;
    int child_status;
    bool replay_done;

    unsigned tflags; /* TEXTSAFE_UTF8 when the terminal takes UTF-8 */
    bool color, mouse;
    double delay;                   /* seconds between refreshes */
    uint32_t hidden[VIEW_NKINDS];   /* per view kind: columns hidden (bit = column) */
    bool config;                    /* the settings file is read and written */
    size_t setup_sel;               /* the setup screen's selected item */
    enum view_kind setup_kind;      /* whose columns it lists */
    struct ui_layout lay;
    struct textline line; /* the line being formatted */
    char *cell;           /* view_cell buffer */
    size_t cell_cap;
};

/* The level on screen. */
static inline struct ui_level *ui_top(struct ui *ui)
{
    return &ui->level[ui->depth];
}

/* Cell (ROW, COL) of V as the screen shows it (raw bytes), in ui->cell;
 * returns its length. */
size_t ui_cell(struct ui *ui, const struct view *v, size_t row, size_t col);

/* Up, Down, Home, End, PgUp and PgDn move *SEL over a list of N entries;
 * false for any other key. */
bool ui_list_key(int key, size_t *sel, size_t n);
/* Keys every screen shares: F10 quits, Ctrl-L repaints; UI_NONE for others. */
enum ui_redraw ui_screen_key(int key);

/* ---- ui_term.c: the terminal ---- */
/* Start curses (colours per ui->color, mouse per ui->mouse); false with a
 * message on stderr when the terminal cannot be used. */
bool ui_term_start(struct ui *ui);
/* Colours on or off, mouse reports on or off, while running (setup screen);
 * the next frame should repaint. */
void ui_term_set_color(bool color);
void ui_term_set_mouse(bool on);
/* Give the terminal back (safe to call twice). */
void ui_term_stop(void);
/* Current size. */
void ui_term_size(int *cols, int *lines);
/* Follow a SIGWINCH: ask the terminal its size and resize curses. */
void ui_term_resize(void);
/* The next key within TIMEOUT_MS (0: only one already waiting), or -1. */
int ui_term_key(int timeout_ms);
/* The last mouse event: button 1 press, wheel up/down. */
enum ui_mouse { UI_MOUSE_NONE, UI_MOUSE_CLICK, UI_MOUSE_WHEEL_UP, UI_MOUSE_WHEEL_DOWN };
enum ui_mouse ui_term_mouse(int *x, int *y);
/* Start a frame; REPAINT forgets what the terminal shows. */
void ui_term_begin(bool repaint);
/* Draw L at line Y. */
void ui_term_line(const struct textline *l, int y);
/* Draw only columns [X, X+W) of L at line Y (a box over what is there). */
void ui_term_segment(const struct textline *l, int y, int x, int w);
/* End a frame with the cursor at (X, Y), or hidden when X < 0. */
void ui_term_end(int x, int y);

/* ---- drawing: each fills ui->line and hands it to ui_term_line ---- */
/* ui_header.c: the two header lines at the top. */
void ui_header_draw(struct ui *ui);
/* ui_table.c: choose the visible columns for the layout's width. */
void ui_table_layout(struct ui *ui);
/* ui_table.c: the column header line and the rows. */
void ui_table_draw(struct ui *ui);
/* ui_table.c: the visible column at screen column X, or -1. */
int ui_table_column_at(const struct ui *ui, int x);
/* ui_details.c: lines the details title needs at width COLS. */
int ui_details_lines(struct ui *ui, int cols, int max);
/* ui_details.c: the title of the details pane. */
void ui_details_draw(struct ui *ui);
/* ui_prompt.c: the bottom line (function keys, status, or a prompt) and the
 * filter prompt's OK / error line; returns the cursor column or -1. */
int ui_prompt_draw(struct ui *ui);
/* ui_prompt.c: edit E with KEY. */
enum ui_edit_result ui_edit_key(struct ui_edit *e, int key);
void ui_edit_set(struct ui_edit *e, const char *text);
/* ui_help.c: the help screen; lines it has. */
void ui_help_draw(struct ui *ui);
/* ui_setup.c: the setup screen (F2) and its keys. */
void ui_setup_draw(struct ui *ui);
enum ui_redraw ui_setup_key(struct ui *ui, int key);
/* Write the settings file: with SETUP what the setup screen holds, else only
 * the filter history (and only into a file that exists). Errors go to the
 * status line. Nothing with --no-config. */
void ui_config_save(struct ui *ui, bool setup);
size_t ui_help_lines(void);
/* ui_menu.c: the sort-column menu over the table. */
void ui_menu_draw(struct ui *ui);
/* ui_menu.c: the menu entry at (X, Y), or -1. */
int ui_menu_entry_at(const struct ui *ui, int x, int y);

/* Glyphs that depend on the terminal's charset. */
const char *ui_glyph_down(const struct ui *ui);
const char *ui_glyph_up(const struct ui *ui);

#endif
