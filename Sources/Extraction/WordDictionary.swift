import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ICU's Chinese word-break dictionary engine, which labels use to cut at word boundaries.
enum WordDictionary {
    private static let started = Atomic<Bool>(false)

    /// Has ICU build the engine on a thread of its own, once per process (see
    /// `BoundaryFinder.loadWordDictionary`): the engine starts it while the patterns compile,
    /// so that the first label cut by ICU does not wait some 8 M instructions for it on a
    /// one-line input. Labels are the same whether or not it has finished.
    static func loadInBackground() {
        guard started.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        guard pthread_create(&thread, nil, { _ in loadICUWordDictionary(); return nil }, nil) == 0 else {
            return   // no thread: the first label builds it, as before
        }
        #if canImport(Glibc)
        pthread_detach(thread)
        #else
        if let thread { pthread_detach(thread) }
        #endif
    }
}
