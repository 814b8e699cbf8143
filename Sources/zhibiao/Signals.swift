#if canImport(Glibc)
import Glibc
#endif

// State read by the signal handler. Set before the handlers are installed (so no lazy
// initialisation happens inside the handler) and only read there.
nonisolated(unsafe) private var interruptTemporaryPath: UnsafeMutablePointer<CChar>?
nonisolated(unsafe) private var interruptClearsStatusLine = false
nonisolated(unsafe) private var interruptClearSequence: UnsafeMutablePointer<CChar>?

/// On SIGINT, SIGTERM or SIGHUP: remove the temporary output file (the destination keeps
/// its old content), clear the progress line, and exit with 128 + the signal number
/// (130, 143, 129). The handler calls only async-signal-safe functions: unlink, write, _exit.
private func onInterrupt(_ signal: Int32) {
    if let path = interruptTemporaryPath { unlink(path) }
    if interruptClearsStatusLine, let clear = interruptClearSequence { _ = write(2, clear, 4) }
    _exit(128 + signal)
}

enum InterruptCleanup {
    static func install(temporaryPath: String?, clearsStatusLine: Bool) {
        interruptTemporaryPath = temporaryPath.map { strdup($0) }
        interruptClearSequence = strdup("\r\u{1B}[K")
        interruptClearsStatusLine = clearsStatusLine
        var action = sigaction()
        action.__sigaction_handler.sa_handler = onInterrupt
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        var signals = sigset_t()
        sigemptyset(&signals)
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            sigaction(signal, &action, nil)
            sigaddset(&signals, signal)
        }
        // A parent may have started us with these blocked; threads started later inherit this mask.
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }

    /// After the output is renamed into place there is nothing left to remove.
    static func disarm() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = SIG_DFL
        sigemptyset(&action.sa_mask)
        for signal in [SIGINT, SIGTERM, SIGHUP] { sigaction(signal, &action, nil) }
    }
}
