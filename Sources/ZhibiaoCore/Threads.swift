#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// The few thread primitives the stages share, on POSIX threads: Foundation's `Thread`,
// `NSLock` and `NSCondition` would load Foundation, whose start-up (relocating it and its
// ICU copy) took about 5 ms of every run here.

/// A mutex with a condition variable: `lock` and `unlock` for plain mutual exclusion, `wait`
/// and `broadcast` inside them for threads that wait for a state change.
public final class ThreadCondition: @unchecked Sendable {
    // SAFETY: the pthread objects are only used through their pointers, which live as long as
    // the instance; pthreads makes them safe to use from several threads.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    public init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    public func lock() { pthread_mutex_lock(mutex) }
    public func unlock() { pthread_mutex_unlock(mutex) }

    /// Releases the lock until another thread calls `broadcast` (or spuriously), then takes
    /// it again: call it in a loop that tests the awaited state, holding the lock.
    public func wait() { pthread_cond_wait(condition, mutex) }

    /// Wakes every thread in `wait`. Call it holding the lock, after changing the state.
    public func broadcast() { pthread_cond_broadcast(condition) }
}

/// Work run on a thread of its own; `join` waits for it and returns its result. Where no
/// thread can be started, the work runs at once on the caller's thread.
public final class JoinableThread<T: Sendable>: @unchecked Sendable {
    // SAFETY: `result` is written once, by the started thread before it ends (or by `init`
    // when none started), and read only by `join`, after `pthread_join`.
    private let work: ThreadWork<T>
    private var thread: pthread_t?

    public init(_ body: @escaping @Sendable () -> T) {
        work = ThreadWork(body)
        if let started = startThread(work, detached: false, stackSize: nil) {
            thread = started
        } else {
            work.run()
        }
    }

    /// The work's result, once its thread has ended.
    public func join() -> T {
        if let started = thread {
            pthread_join(started, nil)
            thread = nil
        }
        return work.result!
    }
}

/// Runs `body` on a detached thread (nobody waits for it; it ends with its work or with the
/// process), with `stackSize` bytes of stack (nil: the system's default). Where no thread can
/// be started, `body` runs at once on the caller's thread.
public func detachThread(stackSize: Int? = nil, _ body: @escaping @Sendable () -> Void) {
    let work = ThreadWork(body)
    if startThread(work, detached: true, stackSize: stackSize) == nil { work.run() }
}

/// A thread's body and, once it ran, its result.
private final class ThreadWork<T: Sendable>: Runnable, @unchecked Sendable {
    let body: @Sendable () -> T
    var result: T?
    init(_ body: @escaping @Sendable () -> T) { self.body = body }
    override func run() { result = body() }
}

/// What a thread runs, without its result type (a C thread entry cannot be generic).
private class Runnable: @unchecked Sendable {
    func run() {}
}

/// Starts a thread running `work`; nil when pthreads refused (the caller runs it instead).
private func startThread(_ work: Runnable, detached: Bool, stackSize: Int?) -> pthread_t? {
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    if detached { pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED)) }
    if let stackSize { pthread_attr_setstacksize(&attributes, stackSize) }
    let context = Unmanaged<Runnable>.passRetained(work).toOpaque()
    var started = pthread_t()
    if pthread_create(&started, &attributes, { context in
        Unmanaged<Runnable>.fromOpaque(context!).takeRetainedValue().run()
        return nil
    }, context) == 0 {
        return started
    }
    Unmanaged<Runnable>.fromOpaque(context).release()
    return nil
}
