#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include "CTerminalSupport.h"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <ncursesw/curses.h>

static volatile sig_atomic_t stop_signal = 0;
static struct sigaction previous[32];
static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };

static void on_stop(int sig) { stop_signal = sig; }

/* A shell's `fg` turns bracketed paste off before it continues the job (bash does): turned back on
   at once, before any pasted text can arrive unmarked and run as keys. write() is safe here. */
static void on_continue(int sig) {
    (void)sig;
    static const char on[] = "\033[?2004h";
    ssize_t written = write(STDOUT_FILENO, on, sizeof on - 1);
    (void)written;
}

static void on_crash(int sig) {
    if (!isendwin()) endwin();
    // Chain to whoever was there before (Swift's backtracer), else die the default way.
    sigaction(sig, &previous[sig], NULL);
    raise(sig);
}

void ardesk_install_signal_handlers(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    sigemptyset(&action.sa_mask);
    action.sa_handler = on_stop;
    sigaction(SIGHUP, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);
    struct sigaction resume;
    memset(&resume, 0, sizeof resume);
    sigemptyset(&resume.sa_mask);
    resume.sa_handler = on_continue;
    resume.sa_flags = SA_RESTART;
    sigaction(SIGCONT, &resume, NULL);
    for (unsigned i = 0; i < sizeof crash_signals / sizeof crash_signals[0]; i++) {
        struct sigaction crash;
        memset(&crash, 0, sizeof crash);
        sigemptyset(&crash.sa_mask);
        crash.sa_handler = on_crash;
        sigaction(crash_signals[i], &crash, &previous[crash_signals[i]]);
    }
}

int ardesk_stop_signal(void) { return stop_signal; }

int ardesk_stdout_failure(void) {
    errno = 0;
    if (fflush(stdout) != 0) return errno != 0 ? errno : -1;
    return ferror(stdout) ? -1 : 0;
}
