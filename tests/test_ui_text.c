/* Safe text for the screen (textsafe) and fitting it into fields (textline):
 * nothing from a name can reach the terminal as a control, wide glyphs are
 * measured and never split, long paths keep their tail. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/textline.h"
#include "base/textsafe.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned U = TEXTSAFE_UTF8;

static const char *esc(const char *s, unsigned flags)
{
    static char buf[1024];
    textsafe_escape(s, strlen(s), flags, buf, sizeof buf);
    return buf;
}

static void control_bytes_become_escapes(void **state)
{
    (void)state;
    assert_string_equal(esc("a\nb\tc\rd", U), "a\\nb\\tc\\rd");
    assert_string_equal(esc("\x1b[31mred\x07", U), "\\x1b[31mred\\x07");
    assert_string_equal(esc("\x01\x7f", U), "\\x01\\x7f");
    /* a NUL inside the bytes is shown too */
    char buf[32];
    textsafe_escape("a\0b", 3, U, buf, sizeof buf);
    assert_string_equal(buf, "a\\x00b");
}

static void backslash_is_escaped_unless_typed_by_the_user(void **state)
{
    (void)state;
    assert_string_equal(esc("a\\x1b", U), "a\\\\x1b");
    assert_string_equal(esc("\\.conf$", U | TEXTSAFE_BACKSLASH), "\\.conf$");
}

static void invalid_utf8_bytes_become_hex(void **state)
{
    (void)state;
    assert_string_equal(esc("\xff", U), "\\xff");
    assert_string_equal(esc("\xc0\xaf", U), "\\xc0\\xaf");                   /* overlong '/' */
    assert_string_equal(esc("\xed\xa0\x80", U), "\\xed\\xa0\\x80");          /* surrogate */
    assert_string_equal(esc("x\xe2\x82", U), "x\\xe2\\x82");                 /* cut short */
    assert_string_equal(esc("\xf4\x90\x80\x80", U), "\\xf4\\x90\\x80\\x80"); /* > U+10FFFF */
}

static void valid_utf8_is_kept_and_measured(void **state)
{
    (void)state;
    assert_string_equal(esc("h\xc3\xa9llo", U), "h\xc3\xa9llo");
    assert_int_equal(textsafe_width("h\xc3\xa9llo", 6, U), 5);
    /* CJK takes two columns per character */
    const char *cjk = "\xe6\x97\xa5\xe6\x9c\xac"; /* 日本 */
    assert_string_equal(esc(cjk, U), cjk);
    assert_int_equal(textsafe_width(cjk, strlen(cjk), U), 4);
}

static void combining_marks_stay_on_their_character(void **state)
{
    (void)state;
    const char *s = "e\xcc\x81x"; /* e + COMBINING ACUTE, x */
    struct textsafe_iter it;
    struct textsafe_glyph g;
    textsafe_init(&it, s, strlen(s), U);
    assert_true(textsafe_next(&it, &g));
    assert_string_equal(g.bytes, "e\xcc\x81");
    assert_int_equal(g.width, 1);
    assert_false(g.escaped);
    assert_true(textsafe_next(&it, &g));
    assert_string_equal(g.bytes, "x");
    assert_false(textsafe_next(&it, &g));
    /* a mark with nothing to sit on is shown as an escape */
    assert_string_equal(esc("\xcc\x81", U), "\\u{0301}");
    /* more marks than a glyph holds: the rest are escaped */
    assert_string_equal(esc("e\xcc\x81\xcc\x81\xcc\x81\xcc\x81", U),
                        "e\xcc\x81\xcc\x81\xcc\x81\\u{0301}");
}

static void bidi_and_invisible_code_points_are_escaped(void **state)
{
    (void)state;
    assert_string_equal(esc("abc\xe2\x80\xaegnp.exe", U), "abc\\u{202e}gnp.exe");    /* RLO */
    assert_string_equal(esc("\xe2\x81\xa6x\xe2\x81\xa9", U), "\\u{2066}x\\u{2069}"); /* LRI PDI */
    assert_string_equal(esc("\xc2\x9b"
                            "31m",
                            U),
                        "\\u{009b}31m"); /* 8-bit CSI */
    assert_string_equal(esc("a\xe2\x80\x8b"
                            "b",
                            U),
                        "a\\u{200b}b");                            /* zero-width space */
    assert_string_equal(esc("\xe2\x80\xa8", U), "\\u{2028}");      /* line separator */
    assert_string_equal(esc("\xf3\xa0\x80\x81", U), "\\u{e0001}"); /* language tag */
}

static void a_non_utf8_terminal_gets_only_ascii(void **state)
{
    (void)state;
    assert_string_equal(esc("h\xc3\xa9", 0), "h\\xc3\\xa9");
    assert_int_equal(textsafe_flags_for("UTF-8"), TEXTSAFE_UTF8);
    assert_int_equal(textsafe_flags_for("utf8"), TEXTSAFE_UTF8);
    assert_int_equal(textsafe_flags_for("ANSI_X3.4-1968"), 0);
}

/* Every byte string, valid or not: no glyph carries a C0 control, DEL or a
 * C1 control, and escapes are plain ASCII. */
static void no_control_ever_reaches_a_glyph(void **state)
{
    (void)state;
    srand(12345);
    unsigned char s[64];
    for (int round = 0; round < 20000; round++) {
        size_t n = (size_t)(rand() % (int)sizeof s);
        for (size_t i = 0; i < n; i++)
            s[i] = (unsigned char)(round < 256 && i == 0 ? round : rand() % 256);
        for (unsigned flags = 0; flags < 4; flags++) {
            struct textsafe_iter it;
            struct textsafe_glyph g;
            textsafe_init(&it, (const char *)s, n, flags);
            size_t guard = 0;
            while (textsafe_next(&it, &g)) {
                assert_true(++guard <= 16 * n);
                assert_true(g.len > 0 && g.width >= 1 && g.width <= 2);
                for (size_t k = 0; k < g.len; k++) {
                    unsigned char c = (unsigned char)g.bytes[k];
                    assert_true(c >= 0x20 && c != 0x7f);
                    if (g.escaped || !(flags & U))
                        assert_true(c < 0x80);
                }
                /* C1 controls as UTF-8 (0xc2 0x80-0x9f) never pass */
                assert_false(g.len >= 2 && (unsigned char)g.bytes[0] == 0xc2 &&
                             (unsigned char)g.bytes[1] < 0xa0);
            }
        }
    }
}

static void escape_reports_the_length_it_needs_and_cuts_whole_glyphs(void **state)
{
    (void)state;
    char buf[6];
    size_t need = textsafe_escape("ab\x1b", 3, U, buf, sizeof buf);
    assert_int_equal(need, 6);
    assert_string_equal(buf, "ab\\x1"); /* cut, still NUL-terminated */
    char small[4];
    const char *cjk = "\xe6\x97\xa5\xe6\x9c\xac";
    textsafe_escape(cjk, strlen(cjk), U, small, sizeof small);
    assert_string_equal(small, "\xe6\x97\xa5"); /* never half a character */
    assert_int_equal(textsafe_escape("x", 1, U, NULL, 0), 1);
}

/* ---- textline ---- */

static struct textline line;

static const char *text(void)
{
    static char buf[4096];
    textline_text(&line, buf, sizeof buf);
    return buf;
}

static void short_text_is_aligned_in_its_field(void **state)
{
    (void)state;
    struct textfit left = {.style = 1, .esc_style = 2};
    struct textfit right = {.style = 1, .esc_style = 2, .right = true};
    textline_init(&line, 20, U, 0);
    assert_int_equal(textline_put(&line, 0, 8, "abc", 3, &left), 3);
    assert_int_equal(textline_put(&line, 9, 6, "42", 2, &right), 2);
    assert_string_equal(text(), "abc          42     ");
    assert_int_equal(line.cell[0].style, 1);
    assert_int_equal(line.cell[3].style, 0);
}

static void long_text_is_cut_with_an_ellipsis(void **state)
{
    (void)state;
    struct textfit head = {.style = 1, .esc_style = 2};
    textline_init(&line, 10, U, 0);
    assert_int_equal(textline_put(&line, 0, 6, "abcdefghij", 10, &head), 6);
    assert_string_equal(text(), "abcde\xe2\x80\xa6    ");
    assert_int_equal(line.cell[5].style, 2);
    /* ASCII terminals get ~ */
    textline_init(&line, 10, 0, 0);
    textline_put(&line, 0, 6, "abcdefghij", 10, &head);
    assert_string_equal(text(), "abcde~    ");
}

static void long_paths_keep_their_tail(void **state)
{
    (void)state;
    const char *p = "/very/long/dir/file.conf";
    struct textfit tail = {.style = 1, .esc_style = 2, .tail = true};
    textline_init(&line, 16, U, 0);
    assert_int_equal(textline_put(&line, 0, 16, p, strlen(p), &tail), 16);
    assert_string_equal(text(), "\xe2\x80\xa6"
                                "g/dir/file.conf");
    /* scrolled 8 columns back towards the start: ellipsis on both sides */
    tail.skip = 8;
    textline_init(&line, 16, U, 0);
    textline_put(&line, 0, 16, p, strlen(p), &tail);
    assert_string_equal(text(), "/very/long/dir/\xe2\x80\xa6");
    tail.skip = 4;
    textline_init(&line, 16, U, 0);
    textline_put(&line, 0, 16, p, strlen(p), &tail);
    assert_string_equal(text(), "\xe2\x80\xa6/long/dir/file\xe2\x80\xa6");
}

static void escapes_take_the_escape_style(void **state)
{
    (void)state;
    struct textfit fit = {.style = 1, .esc_style = 2};
    textline_init(&line, 12, U, 0);
    textline_put(&line, 0, 12,
                 "a\x1b"
                 "b",
                 3, &fit);
    assert_string_equal(text(), "a\\x1bb      ");
    assert_int_equal(line.cell[0].style, 1);
    for (int x = 1; x <= 4; x++)
        assert_int_equal(line.cell[x].style, 2);
    assert_int_equal(line.cell[5].style, 1);
}

static void wide_glyphs_are_never_split(void **state)
{
    (void)state;
    const char *cjk = "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"; /* 日本語: 6 columns */
    struct textfit head = {.style = 1, .esc_style = 2};
    textline_init(&line, 8, U, 0);
    assert_int_equal(textline_put(&line, 0, 6, cjk, strlen(cjk), &head), 6);
    assert_int_equal(line.cell[0].width, 2);
    assert_int_equal(line.cell[1].width, 0);
    /* a field of 5: 日本 and the ellipsis, no half glyph */
    textline_init(&line, 8, U, 0);
    textline_put(&line, 0, 5, cjk, strlen(cjk), &head);
    assert_string_equal(text(), "\xe6\x97\xa5\xe6\x9c\xac\xe2\x80\xa6   ");
    /* a field of 4 keeping the tail: the ellipsis replaces the cut 本 */
    struct textfit tail = {.style = 1, .esc_style = 2, .tail = true};
    textline_init(&line, 8, U, 0);
    textline_put(&line, 0, 4, cjk, strlen(cjk), &tail);
    assert_string_equal(text(), "\xe2\x80\xa6 \xe8\xaa\x9e    ");
    /* a wide glyph at the line's last column becomes a space */
    textline_init(&line, 3, U, 0);
    textline_put(&line, 2, 1, cjk, 3, &head);
    assert_int_equal(line.cell[2].width, 1);
    /* writing over half of a wide glyph blanks the other half */
    textline_init(&line, 6, U, 0);
    textline_put(&line, 0, 6, cjk, strlen(cjk), &head);
    textline_puts(&line, 1, "x", 0);
    assert_string_equal(text(), " x\xe6\x9c\xac\xe8\xaa\x9e");
}

static void a_line_is_never_wider_than_its_width(void **state)
{
    (void)state;
    struct textfit fit = {.style = 1, .esc_style = 2};
    textline_init(&line, 5, U, 0);
    textline_put(&line, 3, 50, "abcdefgh", 8, &fit);
    assert_string_equal(text(), "   a\xe2\x80\xa6");
    textline_init(&line, 5, U, 0);
    assert_int_equal(textline_puts(&line, 9, "zz", 0), 9);
    textline_init(&line, TEXTLINE_MAX + 50, U, 0);
    assert_int_equal(line.width, TEXTLINE_MAX);
}

int main(void)
{
    if (!setlocale(LC_CTYPE, "C.UTF-8") && !setlocale(LC_CTYPE, "C.utf8")) {
        fputs("test_ui_text: no C.UTF-8 locale: skipped\n", stderr);
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(control_bytes_become_escapes),
        cmocka_unit_test(backslash_is_escaped_unless_typed_by_the_user),
        cmocka_unit_test(invalid_utf8_bytes_become_hex),
        cmocka_unit_test(valid_utf8_is_kept_and_measured),
        cmocka_unit_test(combining_marks_stay_on_their_character),
        cmocka_unit_test(bidi_and_invisible_code_points_are_escaped),
        cmocka_unit_test(a_non_utf8_terminal_gets_only_ascii),
        cmocka_unit_test(no_control_ever_reaches_a_glyph),
        cmocka_unit_test(escape_reports_the_length_it_needs_and_cuts_whole_glyphs),
        cmocka_unit_test(short_text_is_aligned_in_its_field),
        cmocka_unit_test(long_text_is_cut_with_an_ellipsis),
        cmocka_unit_test(long_paths_keep_their_tail),
        cmocka_unit_test(escapes_take_the_escape_style),
        cmocka_unit_test(wide_glyphs_are_never_split),
        cmocka_unit_test(a_line_is_never_wider_than_its_width),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
