import Normalization
import PatternCatalog
import Testing

/// The normalizer finds a compound unit (元/吨) by its parts; the catalog can list them all.
/// Both must agree, for the built-in tables and for user rows that shadow built-in ones.
@Suite struct CompoundUnitTests {
    @Test func everyListedCompoundIsFoundByItsParts() throws {
        let listed = catalog.compoundUnits
        #expect(listed.count > 500)
        let normalizer = QuantityNormalizer(catalog: catalog)
        for entry in listed {
            #expect(normalizer.suffixUnit(entry.surface) == entry, "\(entry.surface)")
        }
        #expect(normalizer.suffixUnit("元/不是单位") == nil)
        #expect(normalizer.suffixUnit("元//吨") == nil)
    }

    @Test func userRowsOverrideTheParts() throws {
        let user = try PatternCatalog(extra: [
            .init(name: "units.tsv", displayPath: "u/units.tsv", text: "箱\t箱\tcount\n元\t块钱\tmoney\n"),
            .init(name: "compound.tsv", displayPath: "u/compound.tsv", text: "箱\tdenominator\n元\tdenominator\t元整\n"),
        ])
        let normalizer = QuantityNormalizer(catalog: user)
        let listed = user.compoundUnits
        for entry in listed {
            #expect(normalizer.suffixUnit(entry.surface) == entry, "\(entry.surface)")
        }
        // The later 元 row wins as the numerator's row and as the denominator's unit.
        #expect(normalizer.suffixUnit("元/箱")?.unit == "块钱/箱")
        #expect(normalizer.suffixUnit("元／元")?.unit == "块钱/元整")
    }
}
