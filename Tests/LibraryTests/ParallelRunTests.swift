// ParallelRun with an input whose reading blocks (a named pipe fed by the test): the other
// workers' rows must still flow, and a failing delivery must end the run without waiting.
import Foundation
import Testing
import Zhibiao

/// Feeds a named pipe from its own thread: once a reader has opened it, waits for `release`
/// (at most `patience` seconds, noting a timeout), then writes `text` and closes it.
final class PipeFeeder: @unchecked Sendable {
    // SAFETY: `timedOut` and `gaveUp` are written before `finished` is signalled or under `lock`.
    let path: String
    let release = DispatchSemaphore(value: 0)
    let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var gaveUp = false
    private(set) var timedOut = false

    init(path: String, text: String, patience: Double) {
        self.path = path
        Thread.detachNewThread { [self] in
            var fd: Int32 = -1
            while fd < 0 {
                fd = open(path, O_WRONLY | O_NONBLOCK)   // ENXIO until a reader has it open
                if fd < 0 {
                    if lock.withLock({ gaveUp }) { finished.signal(); return }
                    usleep(2_000)
                }
            }
            timedOut = release.wait(timeout: .now() + patience) == .timedOut
            let bytes = Array(text.utf8)
            _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
            finished.signal()
        }
    }

    /// Stops waiting for a reader (the run may end without opening the pipe) and waits for the thread.
    func finish() {
        lock.withLock { gaveUp = true }
        release.signal()
        finished.wait()
    }
}

@Suite struct ParallelRunTests {
    static let engine = try! IndicatorReader().engine

    /// A folder with a.txt (enough text to keep a worker busy for a while) and a named pipe.
    func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "zhibiao-run-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let line = "2024年全县共受理各类矛盾纠纷972宗，调解成功969宗，纠纷化解率99.69%，涉及金额2004.5万元。\n"
        try String(repeating: line, count: 400).write(toFile: dir + "/a.txt", atomically: true, encoding: .utf8)
        #expect(mkfifo(dir + "/pipe.txt", 0o600) == 0)
        return dir
    }

    /// While one worker waits in read(2) on the pipe, the rows of a.txt are delivered: the pipe
    /// is only fed once they are (a run that reads under its delivery lock waits the full
    /// patience here), and then its row follows, in input order.
    @Test func aSlowInputDoesNotHoldBackTheRowsBeforeIt() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let feeder = PipeFeeder(path: dir + "/pipe.txt", text: "化解率88.5%。\n", patience: 20)
        let run = ParallelRun(engine: Self.engine, rows: .indicators, jobs: 2)
        var files: [String] = []
        var matches: [String] = []
        let summary = try run.process([.file(dir + "/a.txt"), .file(dir + "/pipe.txt")]) { delivery in
            if delivery.file.hasSuffix("a.txt") && delivery.endsInput { feeder.release.signal() }
            files.append((delivery.file as NSString).lastPathComponent)
            matches += delivery.indicators.map(\.match)
        }
        feeder.finish()
        #expect(!feeder.timedOut, "the rows of a.txt waited for the pipe to be read")
        #expect(files == ["a.txt", "pipe.txt"])
        #expect(matches.count == 400 * 4 + 1 && matches.last == "88.5%")
        #expect(summary.files == 2 && summary.errors == 0 && summary.rows == 400 * 4 + 1)
    }

    /// A delivery that throws ends the run at once, even while a worker is blocked reading the
    /// pipe; the pipe is fed only after `process` has returned.
    @Test func aFailingDeliveryDoesNotWaitForABlockedRead() throws {
        struct Full: Error {}
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let feeder = PipeFeeder(path: dir + "/pipe.txt", text: "化解率88.5%。\n", patience: 20)
        let run = ParallelRun(engine: Self.engine, rows: .indicators, jobs: 2)
        var deliveries = 0
        #expect(throws: Full.self) {
            try run.process([.file(dir + "/a.txt"), .file(dir + "/pipe.txt")]) { _ in
                deliveries += 1
                throw Full()
            }
        }
        feeder.finish()
        #expect(!feeder.timedOut, "process waited for the blocked read before returning")
        #expect(deliveries == 1)
    }
}
