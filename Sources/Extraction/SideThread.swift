#if canImport(Glibc)
import Glibc
#endif

/// One piece of the engine's start-up work (compiling the quantity pattern, building the
/// fast path's tables) run on a thread of its own while the caller builds the rest; `join`
/// waits for it. Where no thread can be started, the work runs at once on the caller's.
final class SideThread<T: Sendable>: @unchecked Sendable {
    // SAFETY: `result` is written once, by the started thread before it ends (or by `init`
    // when none started), and read only by `join`, after `pthread_join`.
    private let work: Work
    #if canImport(Glibc)
    private var thread: pthread_t?
    #endif

    private final class Work: Runnable, @unchecked Sendable {
        let body: @Sendable () -> T
        var result: T?
        init(_ body: @escaping @Sendable () -> T) { self.body = body }
        override func run() { result = body() }
    }

    init(_ body: @escaping @Sendable () -> T) {
        work = Work(body)
        #if canImport(Glibc)
        let context = Unmanaged<Runnable>.passRetained(work).toOpaque()
        var started = pthread_t()
        if pthread_create(&started, nil, { context in
            Unmanaged<Runnable>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, context) == 0 {
            thread = started
            return
        }
        Unmanaged<Runnable>.fromOpaque(context).release()
        #endif
        work.run()
    }

    /// The work's result, once its thread has ended.
    func join() -> T {
        #if canImport(Glibc)
        if let started = thread {
            pthread_join(started, nil)
            thread = nil
        }
        #endif
        return work.result!
    }
}

/// What a `SideThread` runs, without its result type (a C thread entry cannot be generic).
private class Runnable: @unchecked Sendable {
    func run() {}
}
