#ifndef ARDESK_TERMINAL_SUPPORT_H
#define ARDESK_TERMINAL_SUPPORT_H
/// Installs handlers so the terminal is restored on every way out: TERM, INT and HUP set a flag the
/// input loop reads (so the current action can finish and nothing is half-written); crashes
/// (SEGV, BUS, ILL, FPE, ABRT) restore the terminal and then chain to the previous handler.
void ardesk_install_signal_handlers(void);
/// The last stop signal received (0 when none).
int ardesk_stop_signal(void);
#endif
