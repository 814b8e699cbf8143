/// What a figure is in its sentence (see the README's column table): a level, a change, or
/// one end of a movement; which way it moves; and whether it is a goal rather than a fact.
public enum Role: String, Sendable, Hashable, CaseIterable {
    /// An amount as it stands (达到114万亿元, 占比17%, a bare figure).
    case level
    /// How much something rose or fell (增长5.2%, 下降0.3个百分点).
    case change
    /// The start of a movement (从60.2%提高到65.2%: 60.2).
    case from
    /// The end of a movement (提高到65.2%, 降至2天).
    case to
}

/// The way a change, `from` or `to` moves; empty for a level or when the text does not say.
public enum Direction: String, Sendable, Hashable, CaseIterable {
    case none = "", up, down
}

/// The role, direction and target flag of one figure.
public struct Meaning: Hashable, Sendable {
    public var role: Role
    public var direction: Direction
    /// A plan, goal, forecast, limit or commitment (预期目标, 力争, 控制在…以内), not a result.
    public var target: Bool

    public init(role: Role = .level, direction: Direction = .none, target: Bool = false) {
        self.role = role
        self.direction = direction
        self.target = target
    }

    /// A plain level, reported as a fact: what a figure is when the text says nothing more.
    public static let level = Meaning()
}
