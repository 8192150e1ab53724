/* The line editor of the prompts: UTF-8 text with a cursor at a byte
 * offset, Emacs keys as in readline (Ctrl-A, E, B, F, D, H, U, K, W). */
#include "config.h"

#include "ui/ui.h"

#include <curses.h>
#include <limits.h>
#include <string.h>
#include <wchar.h>

void ui_edit_set(struct ui_edit *e, const char *text)
{
    size_t n = strlen(text);
    if (n >= sizeof e->text)
        n = sizeof e->text - 1;
    memcpy(e->text, text, n);
    e->text[n] = '\0';
    e->len = e->pos = n;
}

static bool is_cont(char c)
{
    return ((unsigned char)c & 0xc0) == 0x80;
}

static size_t prev_char(const struct ui_edit *e, size_t pos)
{
    while (pos > 0 && is_cont(e->text[--pos]))
        ;
    return pos;
}

static size_t next_char(const struct ui_edit *e, size_t pos)
{
    if (pos < e->len)
        pos++;
    while (pos < e->len && is_cont(e->text[pos]))
        pos++;
    return pos;
}

static void cut(struct ui_edit *e, size_t from, size_t to)
{
    memmove(e->text + from, e->text + to, e->len - to + 1);
    e->len -= to - from;
    if (e->pos > to)
        e->pos -= to - from;
    else if (e->pos > from)
        e->pos = from;
}

static bool insert(struct ui_edit *e, int key)
{
    char mb[MB_LEN_MAX];
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t k = wcrtomb(mb, (wchar_t)key, &st);
    if (k == (size_t)-1 || e->len + k >= sizeof e->text)
        return false;
    memmove(e->text + e->pos + k, e->text + e->pos, e->len - e->pos + 1);
    memcpy(e->text + e->pos, mb, k);
    e->len += k;
    e->pos += k;
    return true;
}

enum ui_edit_result ui_edit_key(struct ui_edit *e, int key)
{
    size_t p;
    switch (key) {
    case UI_FN(KEY_LEFT):
    case UI_CTRL('b'):
        e->pos = prev_char(e, e->pos);
        return UI_EDIT_MOVED;
    case UI_FN(KEY_RIGHT):
    case UI_CTRL('f'):
        e->pos = next_char(e, e->pos);
        return UI_EDIT_MOVED;
    case UI_FN(KEY_HOME):
    case UI_CTRL('a'):
        e->pos = 0;
        return UI_EDIT_MOVED;
    case UI_FN(KEY_END):
    case UI_CTRL('e'):
        e->pos = e->len;
        return UI_EDIT_MOVED;
    case UI_FN(KEY_BACKSPACE):
    case 127:
    case UI_CTRL('h'):
        if (e->pos == 0)
            return UI_EDIT_MOVED;
        cut(e, prev_char(e, e->pos), e->pos);
        return UI_EDIT_CHANGED;
    case UI_FN(KEY_DC):
    case UI_CTRL('d'):
        if (e->pos == e->len)
            return UI_EDIT_MOVED;
        cut(e, e->pos, next_char(e, e->pos));
        return UI_EDIT_CHANGED;
    case UI_CTRL('u'):
        cut(e, 0, e->pos);
        return UI_EDIT_CHANGED;
    case UI_CTRL('k'):
        cut(e, e->pos, e->len);
        return UI_EDIT_CHANGED;
    case UI_CTRL('w'):
        p = e->pos;
        while (p > 0 && e->text[p - 1] == ' ')
            p--;
        while (p > 0 && e->text[p - 1] != ' ')
            p--;
        cut(e, p, e->pos);
        return UI_EDIT_CHANGED;
    default:
        if (key >= 0x20 && key != 0x7f && key < UI_KEY_FN && !(key >= 0x80 && key < 0xa0))
            return insert(e, key) ? UI_EDIT_CHANGED : UI_EDIT_MOVED;
        return UI_EDIT_IGNORED;
    }
}
