/// CSV injection guard (OWASP's advice for CSV files opened in spreadsheets): a text field
/// whose first character is `=`, `+`, `-`, `@`, TAB or CR would be read as a formula by
/// Excel or LibreOffice, so it is written with a leading apostrophe: the cell is then text
/// and never runs (LibreOffice keeps the apostrophe visible in the cell).
///
/// Applied to the free-text fields (file, match, unit, label, sentence) of CSV and TSV;
/// never to `line`, `column`, `value`, `value_max` (numbers: `-5` stays `-5`) nor to the fixed
/// words of `kind` and `qualifier`. `--raw` turns it off. The lone `-` that names standard
/// input in the `file` column is left as it is: alone it is no formula in any spreadsheet.
public enum FormulaGuard {
    /// The prefix written before a guarded field.
    public static let prefix: UInt8 = 0x27   // '

    /// True for the first bytes a spreadsheet would take as the start of a formula.
    @inline(__always)
    public static func startsFormula(_ firstByte: UInt8) -> Bool {
        switch firstByte {
        case 0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D: true   // = + - @ TAB CR
        default: false
        }
    }

    /// True when a field with these UTF-8 bytes needs the prefix.
    @inline(__always)
    public static func needsGuard(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = field.first, startsFormula(first) else { return false }
        return !(field.count == 1 && first == 0x2D)   // "-" alone: standard input's name
    }
}
