import ZhibiaoCore

/// The language data the extractor runs on: numerals, units, qualifiers, traps, label
/// words and the quantity pattern, read from the files of `patterns/`.
///
/// The built-in files are embedded in the binary at build time (see `Plugins/EmbedPatterns`);
/// `--patterns DIR` adds files of the same names (their rows are added to the built-in
/// tables) and `*.patterns` files of custom regexes. Every error names the file and line.
public struct PatternCatalog: Sendable {
    /// What each numeral character does in a number (numerals.tsv), by character.
    public private(set) var numerals: [Unicode.Scalar: NumeralEntry] = [:]
    /// Every unit and classifier: units.tsv rows in file order (the compounds of compound.tsv
    /// are looked up by their parts: `compoundParts()`, listed by `compoundUnits`).
    public private(set) var units: [UnitEntry] = []
    /// Qualifier words with their position and meaning (qualifiers.tsv).
    public private(set) var qualifiers: [QualifierEntry] = []
    /// Words containing numerals that are not quantities (一次性, 三中全会 …).
    public private(set) var traps: [String] = []
    /// Words that trim and cut labels (labels.tsv).
    public private(set) var labelWords = LabelWords()
    /// Words that make a bare 万/亿 amount money or another kind (context.tsv).
    public private(set) var contextWords: [ContextWord] = []
    /// Verbs of change, from/to markers and fillers (changes.tsv).
    public private(set) var changeWords: [ChangeWord] = []
    /// Target cues and the words that mask them (targets.tsv).
    public private(set) var targetWords: [TargetWord] = []
    /// Period words and shapes (periods.tsv).
    public private(set) var periodWords: [PeriodWord] = []
    /// compound.tsv: units that take a denominator, and the denominators (with the unit written for each).
    public private(set) var compoundNumerators: [String] = []
    /// The denominators, each with the unit written for it (nil: its units.tsv unit, else as written).
    public private(set) var compoundDenominators: [(surface: String, canonical: String?)] = []
    /// Qualifier words that apply a few characters away (distant.tsv).
    public private(set) var distantQualifiers: [DistantQualifier] = []
    /// Nouns that count what they name after a bare 万/亿 amount (nouns.tsv).
    public private(set) var countedNouns: [CountedNoun] = []
    /// Words that say how to read a table: unit statements, column and row header words (tables.tsv).
    public private(set) var tableWords: [TableWord] = []
    /// The regexes of the user's `*.patterns` files.
    public private(set) var customPatterns: [CustomPattern] = []
    /// The quantity regex with every fragment expanded, ready for PCRE2 (extended mode).
    public private(set) var quantityPattern: String = ""
    /// quantity.pcre as read, for `compactQuantityPattern()`.
    private var quantityTemplate: File?

    /// The quantity pattern with each word list defined once and called
    /// (`(?&zb_unit_suffix)`): slower to match (calls cost in PCRE2's JIT), but small enough
    /// to compile with about 1,000 user rows. Built on demand: the engine asks for it only
    /// when the inline pattern is too large.
    public func compactQuantityPattern() throws(ZhibiaoError) -> String {
        guard let quantityTemplate else { return "" }
        let generated = generatedFragments()
        var called = generated
        var definitions = ""
        for name in Self.calledFragments {
            guard let body = generated[name] else { continue }
            called[name] = "(?&zb_\(name))"
            definitions += "  (?<zb_\(name)>\(body))\n"
        }
        let (pattern, _) = try Self.expandTemplate(quantityTemplate, fragments: called)
        return pattern + "(?(DEFINE)\n" + definitions + ")\n"
    }
    /// A character class of every character a quantity match can begin with (the `@start`
    /// fragment of quantity.pcre), or nil when the template defines none.
    public private(set) var startPattern: String?
    /// Every `@name` fragment of quantity.pcre, expanded: for tests that check one fragment
    /// against another (the fraction look-ahead against `@number`) and for tools.
    public private(set) var fragments: [String: String] = [:]
    /// True when quantity.pcre is the built-in one (user tables may still extend its word
    /// lists): the extractor's fast path holds for that pattern only.
    public private(set) var quantityPatternIsBuiltIn = true
    /// Where the quantity pattern came from.
    public private(set) var quantityPatternOrigin = SourceLine(file: "quantity.pcre", line: 1)
    /// The user files whose rows were expanded into the quantity pattern (units, qualifiers,
    /// numerals), with their row counts: named when the expanded pattern does not compile.
    public private(set) var quantityPatternUserRows: [(file: String, rows: Int)] = []

    /// The file names a user folder may contain, besides `*.patterns`.
    public static let tableNames = ["numerals.tsv", "units.tsv", "qualifiers.tsv", "traps.tsv", "labels.tsv", "context.tsv",
                                     "changes.tsv", "targets.tsv", "periods.tsv", "nouns.tsv", "compound.tsv", "distant.tsv", "tables.tsv"]

    /// One file of language data: its name decides how it is read.
    public struct File: Sendable {
        /// The file name without folder (`units.tsv`, `x.patterns`).
        public var name: String
        /// Shown in errors: the path for user files, `patterns/NAME` for built-in ones.
        public var displayPath: String
        /// The file's whole content.
        public var text: String
        /// A file to load, named and with its text already read.
        public init(name: String, displayPath: String, text: String) {
            self.name = name; self.displayPath = displayPath; self.text = text
        }
    }

    /// The data embedded in the binary from `patterns/`.
    public static func builtInFiles() -> [File] {
        EmbeddedPatterns.files.map { File(name: $0.name, displayPath: "patterns/\($0.name)", text: $0.text) }
    }

    /// Reads the built-in data, then `extra` files (user data) on top of it.
    public init(extra: [File] = []) throws(ZhibiaoError) {
        let builtIn = Self.builtInFiles()
        var template: File?
        for (index, file) in (builtIn + extra).enumerated() {
            if index >= builtIn.count, ["numerals.tsv", "units.tsv", "qualifiers.tsv"].contains(file.name) {
                quantityPatternUserRows.append((file.displayPath, Self.rows(file).count))
            }
            switch file.name {
            case "numerals.tsv": try readNumerals(file)
            case "units.tsv": try readUnits(file)
            case "qualifiers.tsv": try readQualifiers(file)
            case "traps.tsv": try readTraps(file)
            case "labels.tsv": try readLabels(file)
            case "context.tsv": try readContext(file)
            case "changes.tsv": try readChanges(file)
            case "targets.tsv": try readTargets(file)
            case "periods.tsv": try readPeriods(file)
            case "nouns.tsv": try readNouns(file)
            case "compound.tsv": try readCompound(file)
            case "distant.tsv": try readDistant(file)
            case "tables.tsv": try readTables(file)
            case "quantity.pcre": template = file; quantityPatternIsBuiltIn = index < builtIn.count
            case let name where name.hasSuffix(".patterns"): break   // after the tables, below
            default:
                throw ZhibiaoError(.pattern, path: file.displayPath,
                                   "unknown pattern file name; expected one of \(Self.tableNames.joined(separator: ", ")), quantity.pcre or *.patterns")
            }
        }
        guard let template else {
            throw ZhibiaoError(.pattern, path: "patterns/quantity.pcre", "missing: the quantity pattern was not embedded")
        }
        let generated = generatedFragments()
        // The quantity pattern with the word lists inline (the fastest to match), and the
        // fragments for tests, tools and user *.patterns …
        let (inline, defined) = try Self.expandTemplate(template, fragments: generated)
        quantityPattern = inline
        quantityTemplate = template
        startPattern = defined["start"]
        self.fragments = defined
        quantityPatternOrigin = SourceLine(file: template.displayPath, line: 1)
        for file in extra where file.name.hasSuffix(".patterns") {
            try readCustomPatterns(file, fragments: defined)
        }
    }

    // MARK: - Table readers

    /// Splits a TSV file into (line number, fields), skipping blank lines and `#` comments.
    static func rows(_ file: File) -> [(line: Int, fields: [String])] {
        // On the UTF-8 bytes: splitting a String by Character runs grapheme breaking over
        // every table at each start-up.
        var out: [(line: Int, fields: [String])] = []
        var n = 0
        let bytes = Array(file.text.utf8)
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            n += 1
            var lineEnd = end
            if lineEnd > start && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            if lineEnd > start && bytes[start] != 0x23 {   // not blank, not a # comment
                var fields: [String] = []
                var tabs = 0
                for k in start..<lineEnd where bytes[k] == 0x09 { tabs += 1 }
                fields.reserveCapacity(tabs + 1)                // one allocation a row
                var f = start
                for k in start...lineEnd where k == lineEnd || bytes[k] == 0x09 {
                    fields.append(String(decoding: bytes[f..<k], as: UTF8.self))
                    f = k + 1
                }
                out.append((n, fields))
            }
            if end == bytes.count { break }
            start = end + 1
        }
        return out
    }

    /// The lines of `text` (LF or CRLF), split on its UTF-8 bytes.
    static func lines(of text: String) -> [String] {
        var out: [String] = []
        let bytes = Array(text.utf8)
        var start = 0
        while true {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            let lineEnd = end > start && bytes[end - 1] == 0x0D ? end - 1 : end
            out.append(String(decoding: bytes[start..<lineEnd], as: UTF8.self))
            if end >= bytes.count { return out }
            start = end + 1
        }
    }

    static func fail(_ file: File, _ line: Int, _ message: String) -> ZhibiaoError {
        ZhibiaoError(.pattern, path: file.displayPath, line: line, message)
    }

    mutating func readNumerals(_ file: File) throws(ZhibiaoError) {
        for (line, f) in Self.rows(file) {
            guard f.count >= 2, f[0].unicodeScalars.count == 1, let scalar = f[0].unicodeScalars.first else {
                throw Self.fail(file, line, "expected: one character <TAB> role <TAB> value")
            }
            guard let role = NumeralRole(rawValue: f[1]) else {
                throw Self.fail(file, line, "unknown numeral role '\(f[1])' (\(NumeralRole.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let value = f.count > 2 && !f[2].isEmpty ? Int(f[2]) : 0
            guard let value else { throw Self.fail(file, line, "value '\(f[2])' is not an integer") }
            numerals[scalar] = NumeralEntry(role: role, value: value)
        }
    }

    mutating func readUnits(_ file: File) throws(ZhibiaoError) {
        for (line, f) in Self.rows(file) {
            guard f.count >= 3, !f[0].isEmpty else {
                throw Self.fail(file, line, "expected: surface <TAB> unit <TAB> kind [<TAB> scale [<TAB> position [<TAB> flag]]]")
            }
            guard let kind = Kind(rawValue: f[2]) else {
                throw Self.fail(file, line, "unknown kind '\(f[2])' (\(Kind.allCases.map(\.rawValue).joined(separator: " ")))")
            }
            var scale = ExactDecimal.one
            if f.count > 3, !f[3].isEmpty {
                guard let s = ExactDecimal(f[3]), !s.isZero else { throw Self.fail(file, line, "scale '\(f[3])' is not a non-zero decimal") }
                scale = s
            }
            var isPrefix = false
            if f.count > 4, !f[4].isEmpty {
                guard f[4] == "prefix" || f[4] == "suffix" else { throw Self.fail(file, line, "position must be prefix or suffix, not '\(f[4])'") }
                isPrefix = f[4] == "prefix"
            }
            var twoDigitsAreWhole = false
            if f.count > 5, !f[5].isEmpty {
                guard f[5] == "two_digits_whole" else { throw Self.fail(file, line, "unknown flag '\(f[5])' (two_digits_whole)") }
                twoDigitsAreWhole = true
            }
            units.append(UnitEntry(surface: f[0], unit: f[1], kind: kind, scale: scale, isPrefix: isPrefix,
                                   twoDigitsAreWhole: twoDigitsAreWhole, origin: SourceLine(file: file.displayPath, line: line)))
        }
    }

    mutating func readQualifiers(_ file: File) throws(ZhibiaoError) {
        for (line, f) in Self.rows(file) {
            guard f.count == 3, !f[0].isEmpty else { throw Self.fail(file, line, "expected: word <TAB> position <TAB> qualifier") }
            guard let position = QualifierPosition(rawValue: f[1]) else {
                throw Self.fail(file, line, "position must be before, approx or after, not '\(f[1])'")
            }
            let q: Qualifier? = f[2] == "none" ? Qualifier.none : Qualifier(rawValue: f[2])
            guard let q, f[2] != "" else { throw Self.fail(file, line, "qualifier must be over, under, about or none, not '\(f[2])'") }
            qualifiers.append(QualifierEntry(word: f[0], position: position, qualifier: q))
        }
    }

    mutating func readTraps(_ file: File) throws(ZhibiaoError) {
        for (line, f) in Self.rows(file) {
            guard !f[0].isEmpty, !f[0].utf8.contains(0x20) else { throw Self.fail(file, line, "expected: word [<TAB> note]") }
            traps.append(f[0])
        }
    }

    mutating func readLabels(_ file: File) throws(ZhibiaoError) {
        for (line, f) in Self.rows(file) {
            guard f.count == 2, !f[0].isEmpty else { throw Self.fail(file, line, "expected: word <TAB> role") }
            switch f[1] {
            case "lead": labelWords.lead.append(f[0])
            case "link": labelWords.link.append(f[0])
            case "cut": labelWords.cut.append(f[0])
            case "stop": labelWords.stop.append(f[0])
            case "tail": labelWords.tail.append(f[0])
            case "verb": labelWords.verb.append(f[0])
            default: throw Self.fail(file, line, "role must be lead, link, cut, stop, tail or verb, not '\(f[1])'")
            }
        }
    }

    mutating func readContext(_ file: File) throws(ZhibiaoError) {
        for (line, f) in Self.rows(file) {
            guard f.count == 3, !f[0].isEmpty, let kind = Kind(rawValue: f[1]) else {
                throw Self.fail(file, line, "expected: word <TAB> kind <TAB> unit")
            }
            contextWords.append(ContextWord(word: f[0], kind: kind, unit: f[2]))
        }
    }

    mutating func readChanges(_ file: File) throws(ZhibiaoError) {
        for (line, f) in Self.rows(file) {
            guard f.count == 2 || f.count == 3, !f[0].isEmpty else { throw Self.fail(file, line, "expected: word <TAB> role <TAB> direction") }
            guard let role = ChangeRole(rawValue: f[1]) else {
                throw Self.fail(file, line, "role must be one of \(ChangeRole.allCases.map(\.rawValue).joined(separator: ", ")), not '\(f[1])'")
            }
            let d = f.count == 3 ? f[2] : ""
            guard let direction = Direction(rawValue: d) else { throw Self.fail(file, line, "direction must be up, down or empty, not '\(d)'") }
            changeWords.append(ChangeWord(word: f[0], role: role, direction: direction))
        }
    }

    mutating func readTargets(_ file: File) throws(ZhibiaoError) {
        targetWords += try Self.wordRoles(file, TargetRole.self).map { TargetWord(word: $0.word, role: $0.role) }
    }

    mutating func readPeriods(_ file: File) throws(ZhibiaoError) {
        periodWords += try Self.wordRoles(file, PeriodRole.self).map { PeriodWord(word: $0.word, role: $0.role) }
    }

    mutating func readTables(_ file: File) throws(ZhibiaoError) {
        tableWords += try Self.wordRoles(file, TableRole.self).map { TableWord(word: $0.word, role: $0.role) }
    }

    /// The rows of a `word <TAB> role` table (targets.tsv, periods.tsv, tables.tsv); an error
    /// names the file, the line and the roles there are.
    static func wordRoles<Role: RawRepresentable & CaseIterable>(_ file: File, _: Role.Type) throws(ZhibiaoError)
        -> [(word: String, role: Role)] where Role.RawValue == String {
        var out: [(word: String, role: Role)] = []
        for (line, f) in rows(file) {
            guard f.count == 2, !f[0].isEmpty, let role = Role(rawValue: f[1]) else {
                throw fail(file, line, "expected: word <TAB> role (\(Role.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            out.append((f[0], role))
        }
        return out
    }

    mutating func readNouns(_ file: File) throws(ZhibiaoError) {
        for (line, f) in Self.rows(file) {
            guard f.count == 2, !f[0].isEmpty, !f[1].isEmpty else { throw Self.fail(file, line, "expected: noun <TAB> unit") }
            countedNouns.append(CountedNoun(noun: f[0], unit: f[1]))
        }
    }

    mutating func readDistant(_ file: File) throws(ZhibiaoError) {
        for (line, f) in Self.rows(file) {
            guard f.count == 2, !f[0].isEmpty, let q = Qualifier(rawValue: f[1]), q != .none else {
                throw Self.fail(file, line, "expected: word <TAB> qualifier (over, under or about)")
            }
            distantQualifiers.append(DistantQualifier(word: f[0], qualifier: q))
        }
    }

    mutating func readCompound(_ file: File) throws(ZhibiaoError) {
        for (line, f) in Self.rows(file) {
            guard f.count == 2 || f.count == 3, !f[0].isEmpty else { throw Self.fail(file, line, "expected: word <TAB> role [<TAB> canonical]") }
            switch f[1] {
            case "numerator": compoundNumerators.append(f[0])
            case "denominator": compoundDenominators.append((f[0], f.count == 3 && !f[2].isEmpty ? f[2] : nil))
            default: throw Self.fail(file, line, "role must be numerator or denominator, not '\(f[1])'")
            }
        }
    }

    /// compound.tsv resolved against the units: each numerator with its units.tsv row (a
    /// numerator that is no suffix unit is left out) and each denominator with the unit
    /// written for it. A compound is numerator + slash (/ or ／) + denominator: 元/吨 is money
    /// with the unit 元/吨, 万元/人 is read as 万 + 元/人; one already in units.tsv is that row.
    public func compoundParts() -> (numerators: [(surface: String, base: UnitEntry)], denominators: [(surface: String, unit: String)]) {
        compoundParts(suffixUnitIndex())
    }

    /// `compoundParts()` with the suffix units' index at hand.
    private func compoundParts(_ bySurface: ByteWordTable<Int>) -> (numerators: [(surface: String, base: UnitEntry)], denominators: [(surface: String, unit: String)]) {
        guard !compoundNumerators.isEmpty, !compoundDenominators.isEmpty else { return ([], []) }
        func unit(_ surface: String) -> UnitEntry? { bySurface.value(for: surface).map { units[$0] } }
        let numerators = compoundNumerators.compactMap { n in unit(n).map { (n, $0) } }
        let denominators = compoundDenominators.map { d in (d.surface, d.canonical ?? unit(d.surface)?.unit ?? d.surface) }
        return (numerators, denominators)
    }

    /// The index in `units` of each suffix unit, by surface (the later row of a surface):
    /// looked up by bytes, since hashing a Chinese `String` normalizes it first.
    private func suffixUnitIndex() -> ByteWordTable<Int> {
        var suffix: [(String, Int)] = []
        for (i, u) in units.enumerated() where !u.isPrefix { suffix.append((u.surface, i)) }
        return ByteWordTable(suffix)
    }

    /// Every compound unit, numerator × denominator × slash, leaving out those units.tsv
    /// lists (for tests and tools: the normalizer finds compounds by their parts, and the
    /// catalog no longer lists the 920 built-in ones, a third of reading it). A pair listed twice
    /// is listed twice; the later wins.
    public var compoundUnits: [UnitEntry] {
        let listed = suffixUnitIndex()
        let (numerators, denominators) = compoundParts(listed)
        guard !numerators.isEmpty else { return [] }
        // Only a unit written with a slash can be listed already (none is, built in).
        let slashed = units.contains { u in !u.isPrefix && u.surface.unicodeScalars.contains { $0 == "/" || $0 == "／" } }
        var out: [UnitEntry] = []
        out.reserveCapacity(numerators.count * denominators.count * 2)
        for (n, base) in numerators {
            for (d, unit) in denominators {
                for slash in Self.compoundSlashes {
                    let surface = n + slash + d
                    guard !slashed || listed.value(for: surface) == nil else { continue }
                    out.append(Self.compoundUnit(base, surface: surface, denominatorUnit: unit))
                }
            }
        }
        return out
    }

    /// The slashes that join a compound unit's numerator and denominator.
    public static let compoundSlashes = ["/", "／"]

    /// The unit row of a compound: `base` (the numerator's row) with the compound's surface and unit.
    public static func compoundUnit(_ base: UnitEntry, surface: String, denominatorUnit: String) -> UnitEntry {
        var entry = base
        entry.surface = surface
        entry.unit = base.unit + "/" + denominatorUnit
        entry.isCompound = true
        return entry
    }

    /// `*.patterns`: `kind <TAB> unit <TAB> regex`, the regex with a named group `num`.
    mutating func readCustomPatterns(_ file: File, fragments: [String: String]) throws(ZhibiaoError) {
        for (line, f) in Self.rows(file) {
            guard f.count == 3, let kind = Kind(rawValue: f[0]), !f[2].isEmpty else {
                throw Self.fail(file, line, "expected: kind <TAB> unit <TAB> regex (kinds: \(Kind.allCases.map(\.rawValue).joined(separator: " ")))")
            }
            guard f[2].contains("(?<num>") else {
                throw Self.fail(file, line, "the regex needs a named group (?<num>…) holding the number")
            }
            if Self.hasBackslashC(f[2]) {
                throw Self.fail(file, line, "\\C is not allowed: it matches one byte and splits a UTF-8 character (use . for one character)")
            }
            let pattern = try Self.expand(f[2], fragments: fragments, file: file, line: line)
            customPatterns.append(CustomPattern(kind: kind, unit: f[1], pattern: pattern,
                                                origin: SourceLine(file: file.displayPath, line: line)))
        }
    }

    /// True when `regex` uses `\C` (one code unit), outside `\Q…\E` and not as an escaped backslash.
    static func hasBackslashC(_ regex: String) -> Bool {
        var it = regex.unicodeScalars.makeIterator()
        var quoted = false
        while let s = it.next() {
            guard s == "\\" else { continue }
            guard let e = it.next() else { return false }
            if quoted { if e == "E" { quoted = false }; continue }
            if e == "Q" { quoted = true } else if e == "C" { return true }
        }
        return false
    }

    // MARK: - Pattern generation

    /// Escapes text for a PCRE2 pattern in extended mode (every ASCII non-alphanumeric).
    public static func regexEscape(_ text: String) -> String {
        var out = ""
        for s in text.unicodeScalars {
            if s.isASCII, !isASCIIAlphanumeric(s.value) { out.append("\\") }
            out.unicodeScalars.append(s)
        }
        return out
    }

    /// An alternation of literal words that prefers the longest word that fits (个百分点 over
    /// 个), written as a prefix tree: 个(?:百分点|月)?|元(?:人民币)?|[亩人件…]. PCRE2 tries the
    /// branches of an alternation one by one, so a flat list of 200 units cost 200 tests at
    /// every place a unit may stand; the tree costs one test per character, and the words
    /// that share nothing after their first character collapse into one character class.
    /// The matches, and their order on backtracking (longest first), are the flat list's.
    public static func alternation(_ words: some Sequence<String>) -> String {
        // The tree is read off the sorted word list: the words below a node are a run of it.
        var list = words.compactMap { $0.isEmpty ? nil : $0.unicodeScalars.map(\.value) }
        list.sort { $0.lexicographicallyPrecedes($1) }
        var unique: [[UInt32]] = []
        unique.reserveCapacity(list.count)
        for w in list where unique.last != w { unique.append(w) }
        if unique.isEmpty { return "(?!)" }
        var out: [UInt8] = []
        WordRun(words: unique).branches(0..<unique.count, depth: 0, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// A-Z, a-z, 0-9: the ASCII characters a pattern takes as they are (every other one is escaped).
    static func isASCIIAlphanumeric(_ v: UInt32) -> Bool {
        (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
    }

    /// Characters for a `[...]` class.
    public static func characterClass(_ scalars: some Sequence<Unicode.Scalar>) -> String {
        var out = ""
        for s in Set(scalars).sorted(by: { $0.value < $1.value }) {
            if s.isASCII, !isASCIIAlphanumeric(s.value) { out.append("\\") }
            out.unicodeScalars.append(s)
        }
        return out
    }

    /// The units written after a number (`{unit_suffix}`): neither prefixes nor compounds.
    public var suffixUnitSurfaces: [String] {
        units.filter { !$0.isPrefix && !$0.isCompound }.map(\.surface)
    }

    func scalars(_ roles: NumeralRole...) -> [Unicode.Scalar] {
        numerals.compactMap { roles.contains($0.value.role) ? $0.key : nil }
    }

    /// Word lists that the quantity pattern uses many times (unit_suffix some ten times, through
    /// {number}): they are defined once at its end, `(?(DEFINE)(?<zb_unit_suffix>…))`, and
    /// each use is a call, `(?&zb_unit_suffix)`. Inline, every unit row cost ten copies and a
    /// user units.tsv of 50 rows made the pattern too large for PCRE2. (Since PCRE2 10.30 a
    /// call is not atomic, so matching, and backtracking into the list, are unchanged.)
    static let calledFragments = ["unit_suffix", "unit_prefix", "magnitude_unit",
                                  "qualifier_before", "qualifier_approx", "qualifier_after"]

    /// The fragments built from the tables, available as `{name}` in quantity.pcre and user patterns.
    func generatedFragments() -> [String: String] {
        let magnitudes = scalars(.small, .big)
        let chineseMagnitudes = Set(magnitudes.filter { !$0.isASCII })
        let suffixUnits = suffixUnitSurfaces
        // Compounds as one short branch (numerator, slash, denominator: 元/吨, 千瓦时/人), used
        // where a unit ends a quantity: listing every compound would pass PCRE2's size limit.
        let surfaces = Set(suffixUnits)
        let compound = compoundNumerators.contains(where: surfaces.contains) && !compoundDenominators.isEmpty
            ? Self.alternation(compoundNumerators.filter(surfaces.contains)) + "[/／]" + Self.alternation(compoundDenominators.map(\.surface)) + "|"
            : ""
        let magnitudeSet = Set(magnitudes)
        let magnitudeUnits = suffixUnits.filter { $0.unicodeScalars.first.map(magnitudeSet.contains) ?? false }
        return [
            "arabic_digit": Self.characterClass(scalars(.arabic)),
            "arabic_point": Self.characterClass(scalars(.arabicPoint)),
            "group": Self.characterClass(scalars(.group)),
            "exponent": Self.characterClass(scalars(.exponent)),
            "power": Self.characterClass(scalars(.power)),
            "chinese_digit": Self.characterClass(scalars(.digit)),
            "chinese_two": Self.characterClass(scalars(.two)),
            "chinese_tens": Self.characterClass(scalars(.tens)),
            "chinese_some": Self.characterClass(scalars(.some)),
            "chinese_several": Self.characterClass(scalars(.several)),
            "chinese_half": Self.characterClass(scalars(.half)),
            "chinese_point": Self.characterClass(scalars(.point)),
            "magnitude_char": Self.characterClass(chineseMagnitudes),
            "numeral_char": Self.characterClass(scalars(.digit, .two, .small, .big, .tens, .some).filter { !$0.isASCII }),
            "latin_magnitude": Self.characterClass(magnitudes.filter(\.isASCII)),
            "unit_suffix": Self.alternation(suffixUnits),
            "unit_compound": compound.isEmpty ? "(?!)" : String(compound.dropLast()),
            "unit_prefix": Self.alternation(units.filter(\.isPrefix).map(\.surface)),
            "magnitude_unit": Self.alternation(magnitudeUnits),
            "qualifier_before": Self.alternation(qualifiers.filter { $0.position == .before }.map(\.word)),
            "qualifier_approx": Self.alternation(qualifiers.filter { $0.position == .approx }.map(\.word)),
            "qualifier_after": Self.alternation(qualifiers.filter { $0.position == .after }.map(\.word)),
            "qualifier_before_first": Self.characterClass(qualifiers.filter { $0.position == .before }.compactMap(\.word.unicodeScalars.first)),
            "unit_prefix_first": Self.characterClass(units.filter(\.isPrefix).compactMap(\.surface.unicodeScalars.first)),
            "qualifier_approx_first": Self.characterClass(qualifiers.filter { $0.position == .approx }.compactMap(\.word.unicodeScalars.first)),
            "qualifier_after_first": Self.characterClass(qualifiers.filter { $0.position == .after }.compactMap(\.word.unicodeScalars.first)),
        ]
    }

    /// Reads `@name = body` definitions and the pattern lines of a template file.
    /// Returns the expanded pattern and every fragment known at the end.
    static func expandTemplate(_ file: File, fragments: [String: String]) throws(ZhibiaoError) -> (String, [String: String]) {
        var known = fragments
        var pattern = ""
        var n = 0
        for line in lines(of: file.text) {
            n += 1
            // On the line's bytes (the marks looked for are ASCII): Character by Character,
            // grapheme breaking ran over every line of the template at each start-up.
            let u = Array(line.utf8)
            var a = 0
            while a < u.count && u[a] == UInt8(ascii: " ") { a += 1 }
            if a == u.count || u[a] == UInt8(ascii: "#") { continue }
            if u[a] == UInt8(ascii: "@") {
                guard let eq = u[a...].firstIndex(of: UInt8(ascii: "=")) else { throw fail(file, n, "a definition reads: @name = pattern") }
                let name = u[(a + 1)..<eq].trimmingSpaces()
                guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                    throw fail(file, n, "bad fragment name '\(name)'")
                }
                let body = u[(eq + 1)...].trimmingSpaces()
                known[name] = "(?:" + (try expand(body, fragments: known, file: file, line: n)) + ")"
                continue
            }
            pattern += try expand(line, fragments: known, file: file, line: n) + "\n"
        }
        guard !pattern.isEmpty else { throw fail(file, n, "no pattern lines") }
        return (pattern, known)
    }

    /// Replaces `{name}` with its fragment; quantifiers (`{3}`, `{1,2}`) and `\p{Han}`, `\x{4E00}` are left alone.
    /// Works on the UTF-8 bytes: the braces and backslashes it looks for are ASCII.
    static func expand(_ text: String, fragments: [String: String], file: File, line: Int) throws(ZhibiaoError) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            guard let open = bytes[i...].firstIndex(of: UInt8(ascii: "{")) else { out += bytes[i...]; break }
            out += bytes[i..<open]
            guard let close = bytes[open...].firstIndex(of: UInt8(ascii: "}")) else { out += bytes[open...]; break }
            let name = bytes[(open + 1)..<close]
            let k = out.count
            let escaped = k >= 2 && out[k - 2] == UInt8(ascii: "\\")
                && [UInt8(ascii: "p"), UInt8(ascii: "P"), UInt8(ascii: "x"), UInt8(ascii: "o")].contains(out[k - 1])
            if escaped || startsLikeQuantifier(name) {
                out += bytes[open...close]       // a quantifier such as {3}, or \p{Han}, \x{4E00}
            } else if let body = fragments[String(decoding: name, as: UTF8.self)] {
                out += body.utf8
            } else {
                throw fail(file, line, "unknown fragment {\(String(decoding: name, as: UTF8.self))}; known: \(fragments.keys.sorted().joined(separator: " "))")
            }
            i = close + 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// True when the text inside braces is no fragment name: empty, or beginning with a
    /// number or a comma (`{3}`, `{,2}`).
    private static func startsLikeQuantifier(_ name: ArraySlice<UInt8>) -> Bool {
        guard let b = name.first else { return true }
        if b < 0x80 { return (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: ",") }
        return String(decoding: name, as: UTF8.self).first?.isNumber ?? true
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String { Array(utf8)[...].trimmingSpaces() }
}

extension ArraySlice<UInt8> {
    /// The UTF-8 text without the spaces and tabs at its ends, as a String.
    func trimmingSpaces() -> String {
        let u = self
        var a = u.startIndex, b = u.endIndex
        while a < b && (u[a] == 0x20 || u[a] == 0x09) { a += 1 }
        while b > a && (u[b - 1] == 0x20 || u[b - 1] == 0x09) { b -= 1 }
        return String(decoding: u[a..<b], as: UTF8.self)
    }
}

/// A prefix tree of words for `PatternCatalog.alternation`, read off the sorted, distinct
/// words: the node at `depth` below a prefix is the run of words that start with it. The
/// pattern is written as UTF-8 into one buffer.
private struct WordRun {
    let words: [[UInt32]]

    /// The children of the node holding `run` at `depth`: each next character with its run.
    /// A word that ends at `depth` sorts first and is no child.
    private func children(_ run: Range<Int>, depth: Int) -> [(key: UInt32, run: Range<Int>)] {
        var out: [(key: UInt32, run: Range<Int>)] = []
        var i = run.lowerBound
        if i < run.upperBound && words[i].count == depth { i += 1 }
        while i < run.upperBound {
            let key = words[i][depth]
            var j = i + 1
            while j < run.upperBound && words[j][depth] == key { j += 1 }
            out.append((key, i..<j))
            i = j
        }
        return out
    }

    /// The words below the node as one group: `(?:a…|b…|[cde])`. Leaves share a class; a
    /// lone class, or a lone character that needs no escape, stands bare.
    func branches(_ run: Range<Int>, depth: Int, into out: inout [UInt8]) {
        let kids = children(run, depth: depth)
        // A leaf: the word ends with this character, nothing below it.
        let isLeaf = kids.map { $0.run.count == 1 && words[$0.run.lowerBound].count == depth + 1 }
        let leaves = kids.indices.filter { isLeaf[$0] }.map { kids[$0].key }
        let parts = kids.count - leaves.count + (leaves.isEmpty ? 0 : 1)
        let bare = parts == 1 && (leaves.count > 1 || (leaves.count == 1 && !Self.needsEscape(leaves[0])))
        if !bare { out += "(?:".utf8 }
        var first = true
        for (k, kid) in kids.enumerated() where !isLeaf[k] {
            if !first { out.append(UInt8(ascii: "|")) }
            first = false
            Self.appendEscaped(kid.key, to: &out)
            rest(kid.run, depth: depth + 1, into: &out)
        }
        if !leaves.isEmpty {
            if !first { out.append(UInt8(ascii: "|")) }
            if leaves.count == 1 {
                Self.appendEscaped(leaves[0], to: &out)
            } else {
                out.append(UInt8(ascii: "["))
                for key in leaves { Self.appendEscaped(key, to: &out) }
                out.append(UInt8(ascii: "]"))
            }
        }
        if !bare { out.append(UInt8(ascii: ")")) }
    }

    /// What follows the node's character: the longer words first, then the end of a word
    /// here (a greedy optional group), so the longest word that fits is tried first.
    func rest(_ run: Range<Int>, depth: Int, into out: inout [UInt8]) {
        let isWord = words[run.lowerBound].count == depth
        if isWord && run.count == 1 { return }
        if isWord {
            out += "(?:".utf8
            branches(run, depth: depth, into: &out)
            out += ")?".utf8
            return
        }
        let kids = children(run, depth: depth)
        if kids.count == 1 {                                   // a plain chain: 交易日
            Self.appendEscaped(kids[0].key, to: &out)
            rest(kids[0].run, depth: depth + 1, into: &out)
            return
        }
        branches(run, depth: depth, into: &out)
    }

    /// True for the ASCII characters `PatternCatalog.regexEscape` puts a backslash before.
    static func needsEscape(_ value: UInt32) -> Bool {
        value < 0x80 && !PatternCatalog.isASCIIAlphanumeric(value)
    }

    /// One character as `PatternCatalog.regexEscape` writes it, in UTF-8.
    static func appendEscaped(_ value: UInt32, to out: inout [UInt8]) {
        if needsEscape(value) { out.append(UInt8(ascii: "\\")) }
        out += UTF8.encode(Unicode.Scalar(value)!)!
    }
}
