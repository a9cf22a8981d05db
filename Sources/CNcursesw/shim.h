#ifndef ARDESK_CNCURSESW_SHIM_H
#define ARDESK_CNCURSESW_SHIM_H
// SwiftPM drops pkg-config's -D flags, so the wide API must be switched on here.
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#endif
