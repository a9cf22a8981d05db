#include <signal.h>
#include <string.h>
#include "CWriteGuard.h"

// Read and set in the handler: plain flags of the one type a handler may use.
static volatile sig_atomic_t writing = 0;
static volatile sig_atomic_t deferred = 0;

static void deferring_handler(int sig) {
    if (writing) { deferred = sig; return; }
    signal(sig, SIG_DFL);
    raise(sig);
}

void ardesk_defer_signals_while_writing(void) {
    const int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = deferring_handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;  // a write the signal comes in does not fail with EINTR
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        struct sigaction old;
        if (sigaction(signals[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL) sigaction(signals[i], &action, NULL);
    }
}

void ardesk_write_begins(void) { writing = 1; }

void ardesk_write_ends(void) {
    writing = 0;
    int sig = deferred;
    if (sig) {
        deferred = 0;
        signal(sig, SIG_DFL);
        raise(sig);
    }
}
