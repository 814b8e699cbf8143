import ZhibiaoCore

extension BoundaryFinder {
    /// Makes ICU build its Chinese/Japanese dictionary engine now, by breaking two ideographs
    /// into words. ICU builds it the first time a word iterator meets Han text (some 8 M
    /// instructions, mostly Unicode sets of the Han and kana scripts) and keeps it for the
    /// whole process, shared by every iterator; a program calls this on a spare thread at
    /// start-up so that the first label does not wait for it. Errors are left to the real use.
    public static func loadWordDictionary() {
        guard let finder = try? BoundaryFinder(.word) else { return }
        let text: [UInt8] = Array("指标".utf8)
        text.withUnsafeBufferPointer { bytes in
            guard (try? finder.attach(bytes)) != nil else { return }
            _ = finder.boundary(after: 0)
        }
    }
}
