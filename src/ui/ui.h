/* The terminal UI, one concept per file: ui_loop.c runs it (ui_run, declared
 * in app.h), ui_screen.c hands each key to the screen shown and draws the
 * frame, ui_actions.c is the table screen's key table; each screen keeps its
 * draw and key functions side by side (ui_table, ui_details, ui_menu,
 * ui_help, ui_setup, ui_prompt). Drawing formats each line into a textline,
 * then ui_term.c puts it on the screen. Only src/ui includes curses. This
 * header holds the state they share (struct ui) and their contracts. */
#ifndef FANOTOP_UI_H
#define FANOTOP_UI_H

#include "run/app.h"
#include "run/run_end.h"
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
/* The "other" column: the per-type counts of types without a column on
 * screen; in struct ui_layout's col[] it has this index. */
#define UI_COL_OTHER   SIZE_MAX
#define UI_OTHER_WIDTH 7 /* counts up to ten million */

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
    UI_PROMPT_CONFIRM_RESET, /* Del: y resets the counters */
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
    /* F: the cursor follows the row with this key, wherever it moves */
    bool follow, follow_lost; /* lost: the row is not in the table now */
    uint64_t follow_key;
    int64_t follow_since;  /* wall clock */
    char follow_name[256]; /* its name column when F was pressed */
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
    size_t ncol; /* visible columns: view column (or UI_COL_OTHER), x, width */
    size_t col[UI_MAX_COLS];
    uint32_t other_types; /* the types the "other" column sums (0: no such column) */
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
    size_t sort_col;            /* the sort ui_level_sort is applying */
    bool sort_desc;

    struct ui_backlog backlog;
    bool paused;
    uint64_t paused_shown;   /* the backlog count last drawn while paused */
    int64_t paused_shown_at; /* and when */
    int64_t next_tick_ns, frozen_until_ns, last_refresh_ns;
    bool applying;              /* a tick is applying the backlog in slices */
    uint64_t apply_left;        /* events this tick still has to apply */
    uint64_t tick_events;       /* applied during this tick */
    unsigned quiet_ticks;       /* ticks in a row that applied nothing */
    struct store_totals totals; /* as of the last refresh */
    uint64_t kernel_overflows;  /* shown: source stats or markers, the larger */

    bool follow_tail;   /* events view: the cursor sits on the newest row */
    size_t hscroll;     /* columns scrolled in long text columns */
    size_t hscroll_max; /* the most any long cell on screen can scroll */

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

    struct run_end end; /* the end-of-run rule shared with the headless modes */
    bool child_exited;
    int child_status;
    bool replay_done;
    bool clock_ended;      /* store_clock_end was called at the replay's end */
    int64_t started_ns;    /* wall clock: when following began */
    int64_t replay_end_ns; /* the recording's last time (a file), or 0 */

    unsigned tflags; /* TEXTSAFE_UTF8 when the terminal takes UTF-8 */
    bool color, mouse;
    double delay;                 /* seconds between refreshes */
    uint32_t hidden[VIEW_NKINDS]; /* per view kind: columns hidden (bit = column) */
    struct {
        bool set;
        size_t col;
        bool desc;
    } sorts[VIEW_NKINDS];         /* per view kind: the sort chosen (settings file, keys) */
    bool view_chosen;             /* the view or a sort was changed: saved at exit */
    bool config;                  /* the settings file is read and written */
    size_t setup_sel;             /* the setup screen's selected item */
    enum view_kind setup_kind;    /* whose columns it lists */
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

/* ---- ui_screen.c: which screen draws and which gets a key ---- */
/* Draw a frame of the screen shown; REPAINT forgets what the terminal shows. */
void ui_screen_draw(struct ui *ui, bool repaint);
/* Hand KEY to the prompt, the help, the sort menu, the setup screen, or the
 * table's key table; returns what must be redrawn. */
enum ui_redraw ui_screen_dispatch(struct ui *ui, int key);
/* Keys every screen shares: F10 quits, Ctrl-L repaints; UI_NONE for others. */
enum ui_redraw ui_screen_key(int key);
/* Up, Down, Home, End, PgUp and PgDn move *SEL over a list of N entries;
 * false for any other key. */
bool ui_list_key(int key, size_t *sel, size_t n);

/* ---- ui_actions.c: the table screen's key table ---- */
/* Run the action KEY has in the table screen; any key but the mouse also
 * dismisses the status message. */
enum ui_redraw ui_actions_key(struct ui *ui, int key);

/* ---- ui_level.c: the main view, the details panes, their cursors ---- */
/* LV shows V (owned from now on) under TITLE (malloc'd, or NULL). */
void ui_level_init(struct ui_level *lv, struct view *v, char *title);
/* Keep LV's cursor on a row and on the screen. */
void ui_level_clamp(struct ui *ui, struct ui_level *lv);
/* True when LV is the events view with its cursor on the newest row. */
bool ui_level_following(const struct ui *ui, const struct ui_level *lv);
/* Refresh LV's view from the store, the cursor kept on its row. */
void ui_level_refresh(struct ui *ui, struct ui_level *lv);
/* The store moved on: refresh the level on screen, those below later. */
void ui_level_refresh_shown(struct ui *ui);
/* Close the top details pane (none open: nothing). */
void ui_level_pop(struct ui *ui);
/* Show view kind K in the main view, closing the details panes. */
void ui_level_set_kind(struct ui *ui, enum view_kind k);
/* Sort the level on screen by COL: the kind's default column keeps its
 * default direction, any other sorts as its type does (numbers descending);
 * the same column again inverts when INVERT. */
void ui_level_sort(struct ui *ui, size_t col, bool invert);
/* The start sort from --sort, as batch mode reads it. False (after one line
 * on stderr) for a column the view does not have. */
bool ui_level_start_sort(struct ui *ui, const char *name);
/* Move the cursor DELTA rows (PAGE: the page scrolls with it); stops F. */
void ui_level_move(struct ui *ui, long delta, bool page);
/* F: follow the row at the cursor of the level on screen (ON), or stop. */
void ui_level_follow(struct ui *ui, bool on);
/* The cursor moved: the rows hold still for a moment, so the row chosen
 * does not slip away under it. */
void ui_level_hold(struct ui *ui);
/* Forget every count (Del, once confirmed) and show the empty tables. */
void ui_level_reset(struct ui *ui);

/* ---- ui_pause.c: pause ---- */
/* Z, p: pause or resume; resuming shows what waited at once. */
void ui_pause_toggle(struct ui *ui);
/* While paused: true when the count of events waiting should be drawn
 * again (it changed, and not more often than a few times a second). */
bool ui_pause_redraw_due(struct ui *ui, int64_t now);

/* ---- ui_search.c: search ---- */
/* The column that names a row of V (path, comm, unit, type, else the first). */
int ui_search_column(const struct view *v);
/* Move the cursor to the next row (DIR 1 or -1) from START whose name
 * column contains TEXT; START itself counts when INCLUSIVE. False when no
 * row does. */
bool ui_search_move(struct ui *ui, const char *text, size_t start, int dir, bool inclusive);

/* ---- ui_export.c: export from the UI ---- */
/* Open the export prompt with a default file name: the view on screen
 * when VIEW, else the events. */
void ui_export_open(struct ui *ui, bool view);
/* Tab in the events' export prompt: CSV <-> JSONL, the name's extension too. */
void ui_export_toggle_format(struct ui *ui);
/* Write the export the prompt names; the result goes to the status line. */
void ui_export_run(struct ui *ui);

/* ---- ui_history.c: the filter history ---- */
/* TEXT becomes the newest entry (an equal one moves up, the oldest goes
 * beyond UI_HISTORY_MAX); "" is not kept. */
void ui_history_add(struct ui *ui, const char *text);
/* The filter prompt opens: Up starts from the newest entry. */
void ui_history_rewind(struct ui *ui);
/* Up (DIR -1) or Down (+1): the entry's text, or FRESH past the newest;
 * NULL when already at that end. */
const char *ui_history_step(struct ui *ui, int dir, const char *fresh);
void ui_history_free(struct ui *ui);

/* ---- ui_config.c, ui_columns.c: the settings file ---- */
/* Read the settings file (unless --no-config): what the command line did
 * not set comes from it, and the filter history. Returns the start view the
 * file names, or -1. */
int ui_config_load(struct ui *ui);
/* Write the settings file: with SETUP what the setup screen holds, else only
 * the filter history (and only into a file that exists). Errors go to the
 * status line. Nothing with --no-config. */
void ui_config_save(struct ui *ui, bool setup);
/* The hidden-column bits of kind K from NAMES, the columns shown
 * ("path,total", any case); the first column always shows. */
uint32_t ui_columns_hidden(struct ui *ui, enum view_kind k, const char *names);
/* The inverse for ui->hidden[K]: a malloc'd list in lower case, or NULL
 * when every column shows. */
char *ui_columns_names(struct ui *ui, enum view_kind k);

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
/* Glyphs that depend on the terminal's charset. */
const char *ui_glyph_down(const struct ui *ui);
const char *ui_glyph_up(const struct ui *ui);

/* ---- the screens: each draws into ui->line and hands it to ui_term_line ---- */
/* ui_header.c: the header lines at the top (two, three on a narrow
 * screen); returns how many. */
int ui_header_draw(struct ui *ui);
/* ui_table.c: choose the visible columns for the layout's width. */
void ui_table_layout(struct ui *ui);
/* ui_table.c: the column header line and the rows. */
void ui_table_draw(struct ui *ui);
/* ui_table.c: the visible column at screen column X, or -1. */
int ui_table_column_at(const struct ui *ui, int x);
/* ui_table.c: cell (ROW, COL) of V as the screen shows it (raw bytes), in
 * ui->cell; returns its length. */
size_t ui_cell(struct ui *ui, const struct view *v, size_t row, size_t col);
/* ui_details.c: lines the details title needs at width COLS. */
int ui_details_lines(struct ui *ui, int cols, int max);
/* ui_details.c: the title of the details pane. */
void ui_details_draw(struct ui *ui);
/* ui_details.c: Enter: open a details pane on the row at the cursor. */
enum ui_redraw ui_details_open(struct ui *ui);
/* ui_prompt.c: the bottom line (function keys, status, or a prompt) and the
 * filter prompt's OK / error line; returns the cursor column or -1. */
int ui_prompt_draw(struct ui *ui);
/* ui_prompt.c: KEY while a prompt is open (search, filter, export). */
enum ui_redraw ui_prompt_key(struct ui *ui, int key);
/* ui_prompt.c: put a message on the status line for a few seconds
 * (ERROR: in the error style). */
void ui_status(struct ui *ui, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* ui_prompt.c: S escaped for the terminal (into BUF of LEN bytes); returns BUF. */
const char *ui_escaped(const struct ui *ui, const char *s, char *buf, size_t len);
/* ui_edit.c: edit E with KEY. */
enum ui_edit_result ui_edit_key(struct ui_edit *e, int key);
void ui_edit_set(struct ui_edit *e, const char *text);
/* ui_help.c: the help screen; its keys; lines it has. */
void ui_help_draw(struct ui *ui);
enum ui_redraw ui_help_key(struct ui *ui, int key);
size_t ui_help_lines(const struct ui *ui);
/* ui_setup.c: the setup screen (F2) and its keys. */
void ui_setup_draw(struct ui *ui);
enum ui_redraw ui_setup_key(struct ui *ui, int key);
/* ui_menu.c: the sort-column menu over the table; its keys. */
void ui_menu_draw(struct ui *ui);
enum ui_redraw ui_menu_key(struct ui *ui, int key);
/* ui_menu.c: the menu entry at (X, Y), or -1. */
int ui_menu_entry_at(const struct ui *ui, int x, int y);

#endif
