/// What generated SDK modules call at run time: `JSONValue` for free-form data and
/// `DateTime` for Codat's date strings. Hand-written and small on purpose.
///
/// Decimal money is plain `Foundation.Decimal`: `JSONDecoder` reads it from the
/// number's text and `JSONEncoder` writes it back exactly (135.85 stays 135.85).
public enum PayablesRuntime {}
