#ifndef ARDESK_CNCURSESW_SHIM_H
#define ARDESK_CNCURSESW_SHIM_H
// SwiftPM drops pkg-config's -D flags, so the wide API must be switched on here.
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Swift 6 cannot read these C globals or expand these macros; accessors make them callable.
static inline WINDOW *ardesk_stdscr(void) { return stdscr; }
static inline WINDOW *ardesk_curscr(void) { return curscr; }
static inline int ardesk_lines(void) { return LINES; }
static inline int ardesk_cols(void) { return COLS; }
static inline int ardesk_colors(void) { return COLORS; }
static inline attr_t ardesk_a_normal(void) { return A_NORMAL; }
static inline attr_t ardesk_a_bold(void) { return A_BOLD; }
static inline attr_t ardesk_a_reverse(void) { return A_REVERSE; }
static inline attr_t ardesk_a_dim(void) { return A_DIM; }
static inline attr_t ardesk_a_underline(void) { return A_UNDERLINE; }
static inline int ardesk_key_f(int n) { return KEY_F(n); }
static inline const char *ardesk_codeset(void) { return nl_langinfo(CODESET); }
// initscr() prints its own English error and exits on a terminal type it does not know;
// newterm() returns NULL instead, so the program says why in its user's language.
static inline int ardesk_start_screen(void) {
    SCREEN *screen = newterm(NULL, stdout, stdin);
    if (screen == NULL) return 0;
    set_term(screen);
    return 1;
}
// Whether the terminal can move the cursor: a "dumb" one cannot, and no screen could be drawn on it.
static inline int ardesk_can_place_cursor(void) {
    char *cup = tigetstr("cup");
    return cup != NULL && cup != (char *)-1;
}
#endif
