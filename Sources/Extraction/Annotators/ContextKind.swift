import ZhibiaoCore

/// Annotator: a bare 万/亿 amount takes its kind and unit from a word of context.tsv in its
/// label (总金额达26.22亿: money, 元).
extension Extractor {
    func applyContextKind(_ label: UnsafeBufferPointer<UInt8>, to quantity: inout Quantity) {
        for (word, context) in engine.contextWords where Self.contains(label, word) {
            quantity.kind = context.kind
            quantity.unit = context.unit
            return
        }
    }

    /// True when `word` occurs in `text` (a byte search; both are valid UTF-8, so a hit
    /// always starts on a character).
    static func contains(_ text: UnsafeBufferPointer<UInt8>, _ word: [UInt8]) -> Bool {
        guard !word.isEmpty, word.count <= text.count else { return word.isEmpty }
        var i = 0
        while i + word.count <= text.count {
            if text[i] == word[0], UTF8Bytes.hasBytes(text, word, at: i) { return true }
            i += 1
        }
        return false
    }
}
