import ZhibiaoCore

/// Where the rows go: the main thread hands it what `RowWriter` made on the workers, in
/// input order, then commits (or abandons after a failure).
public protocol OutputDestination: AnyObject {
    /// Takes the next piece of `RowWriter` output (whole rows or records). Throws a
    /// `ZhibiaoError` of kind `.output`, or `OutputClosed` when standard output's reader left.
    func write(_ bytes: [UInt8]) throws
    /// Finishes: when it returns, the output is complete at its destination.
    func commit() throws
    /// Gives up after a failure: the destination keeps what it had before the run.
    func abandon()
    /// The temporary file being written (for the interrupt handler to remove), if any.
    var temporaryPath: String? { get }
    /// Notes for standard error once the output is committed (cells cut to fit, …).
    var notes: [String] { get }
}

extension OutputDestination {
    /// No notes, unless a destination has some.
    public var notes: [String] { [] }
}
