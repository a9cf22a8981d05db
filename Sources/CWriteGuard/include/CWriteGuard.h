#ifndef CWRITEGUARD_H
#define CWRITEGUARD_H

/// Holds off SIGINT, SIGTERM, SIGHUP and SIGQUIT while a book's log is being written: a signal
/// that comes then is acted on (its default action) once the write is whole and on disk. Only
/// signals whose action is the default are taken over (one a parent ignores stays ignored).
void ardesk_defer_signals_while_writing(void);

/// Around one append's write and flush (any thread). A signal deferred meanwhile is raised again
/// at the end.
void ardesk_write_begins(void);
void ardesk_write_ends(void);

#endif
