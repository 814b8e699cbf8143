internal import CICU
import ZhibiaoCore

/// Sentence boundaries by the rules of UAX #29 run on the UTF-8 bytes, for the text reports
/// hold, so that ICU's sentence iterator is needed only where the rules need more context
/// than one character of look-ahead.
///
/// The character classes come from ICU itself (its Sentence_Break property, looked up the
/// first time a character is seen and kept in a table over the BMP), so the rule and ICU agree on what a full stop, a closing quote or a
/// space is. The rules for a terminal that may also be an abbreviation dot (ATerm: `.` `．`
/// not followed by a digit; SB7, SB8) and characters beyond the BMP are left to ICU:
/// `boundaries` then returns false. A test runs both over real documents and checks every
/// boundary the rule gives is ICU's. Not thread-safe (the table fills as it goes): one per worker.
public final class SentenceRule {
    /// Sentence_Break classes, as ICU numbers them (USentenceBreak).
    enum Class: UInt8 {
        case other = 0, aTerm, close, format, lower, numeric, oLetter, sep, sp, sTerm, upper, cr, extend, lf, sContinue
    }
    /// Sentence_Break class of each BMP character, 0xFF until first looked up (plain memory:
    /// an array in a class would pay an exclusivity check at every character).
    private let table: UnsafeMutablePointer<UInt8>

    /// A rule with an empty class table (filled as characters are met).
    public init() {
        table = .allocate(capacity: 0x10000)
        table.initialize(repeating: 0xFF, count: 0x10000)
    }

    deinit { table.deallocate() }

    @inline(__always)
    func classOf(_ s: UInt32) -> Class {
        var c = table[Int(s)]
        if c == 0xFF {
            c = UInt8(truncatingIfNeeded: cicu_sentenceBreak(UChar32(s)))
            table[Int(s)] = c
        }
        return Class(rawValue: c) ?? .other
    }

    /// Where a sentence-final run stands: after a terminal and its closing marks, or after
    /// the spaces that follow them.
    private enum Run { case none, close, space }

    /// The sentence boundaries of `t` (0 and `t.count` included) into `out`, or false (and
    /// `out` unspecified) when the text holds a case left to ICU.
    public func boundaries(_ t: UnsafeBufferPointer<UInt8>, into out: inout [Int]) -> Bool {
        out.removeAll(keepingCapacity: true)
        out.append(0)
        var run = Run.none
        var afterATerm = false        // the last non-Extend character was an ATerm
        var previous: Class = .other  // the last non-Extend/Format character's class
        var i = 0
        while i < t.count {
            // In mid-sentence, characters U+4000–U+9FFF (lead bytes E4–E9: CJK ideographs)
            // change nothing: none is a terminal, a separator or a line end (a test checks
            // the range against ICU), so they are stepped over without a lookup.
            if run == .none && previous != .sep && previous != .cr && previous != .lf {
                while i < t.count, t[i] &- 0xE4 < 6 { i += 3 }
                if i >= t.count { break }
            }
            let (s, length) = UTF8Decoding.scalar(t, at: i)
            guard s <= 0xFFFF else { return false }
            let k = classOf(s)
            // The common case, in the middle of a sentence: nothing can break before `k`, and
            // only a terminal or a line end changes the state.
            if run == .none && previous != .sep && previous != .cr && previous != .lf
                && k != .sTerm && k != .aTerm && k != .sep && k != .cr && k != .lf {
                if k != .extend && k != .format { previous = k }
                i += length
                continue
            }
            if i > 0 {
                var split = false
                if previous == .cr && k == .lf {
                    split = false                                         // SB3
                } else if previous == .sep || previous == .cr || previous == .lf {
                    split = true                                          // SB4
                } else if k == .extend || k == .format {
                    split = false                                         // SB5
                } else if run != .none {
                    if afterATerm {
                        if k == .numeric { split = false } else { return false }   // SB6; SB7, SB8 to ICU
                    } else if k == .sContinue || k == .sTerm || k == .aTerm {
                        split = false                                     // SB8a
                    } else if run == .close && (k == .close || k == .sp || k == .sep || k == .cr || k == .lf) {
                        split = false                                     // SB9
                    } else if run == .space && (k == .sp || k == .sep || k == .cr || k == .lf) {
                        split = false                                     // SB10
                    } else {
                        split = true                                      // SB11
                    }
                }
                if split { out.append(i); run = .none; previous = .other }
            }
            switch k {
            case .extend, .format:
                break                                                     // SB5: as the character before
            case .sTerm, .aTerm:
                run = .close; afterATerm = k == .aTerm; previous = k
            case .close:
                if run == .space { run = .none }
                afterATerm = false; previous = k
            case .sp:
                if run != .none { run = .space }
                afterATerm = false; previous = k
            default:
                run = .none; afterATerm = false; previous = k
            }
            i += length
        }
        if out.last != t.count { out.append(t.count) }
        return true
    }
}
