#ifndef ARDESK_TERMINAL_SUPPORT_H
#define ARDESK_TERMINAL_SUPPORT_H
/// Installs handlers so the terminal is restored on every way out: TERM, INT and HUP set a flag the
/// input loop reads (so the current action can finish and nothing is half-written); crashes
/// (SEGV, BUS, ILL, FPE, ABRT) restore the terminal and then chain to the previous handler.
void ardesk_install_signal_handlers(void);
/// The last stop signal received (0 when none).
int ardesk_stop_signal(void);
/// Flushes standard output and says whether any write to it failed (0: all written; else the
/// errno of the failure, or -1 when only the stream's error flag tells of it, the errno gone). Swift 6 cannot
/// name `stdout`.
int ardesk_stdout_failure(void);
#endif
