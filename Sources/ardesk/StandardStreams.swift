import Glibc

/// Standard input, output and errors, each open on something.
enum StandardStreams {
    /// Opens each of descriptors 0, 1 and 2 that the process was started without (`2>&-`, a
    /// daemon, cron) on /dev/null, before any file is opened: else the next file opened (a
    /// book's log, a letter) takes its number, and what the program prints lands in that file.
    static func openClosedOnes() {
        for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
            let opened = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY)
            if opened >= 0 && opened != fd { _ = dup2(opened, fd); _ = close(opened) }
        }
    }
}
