import PatternCatalog
import ZhibiaoCore

/// Annotator: a figure is a target when a cue of targets.tsv (预期目标, 力争, 确保, 控制在,
/// 计划, 要, 将 …) stands before it in its sentence. Longer words that hold a cue but are
/// none (主要 holds 要) are read as one word and passed over. The first cue of a sentence is
/// found once and kept while the rows of that sentence are written.
extension Extractor {
    /// The byte offset of the first target cue in `sentence`, or nil.
    func firstTargetCue(in sentence: ByteSpan, text t: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = sentence.lowerBound
        let targets = engine.targets
        while i < sentence.upperBound {
            if let (role, length) = targets.longestStarting(in: t, at: i, limit: sentence.upperBound) {
                if role == .cue { return i }
                i += length
                continue
            }
            i += UTF8Bytes.scalar(t, at: i).length
        }
        return nil
    }
}
