// Compiled with generated models and run by GeneratedBehaviourTests (not part of any target).
// The composition and types fixtures: one-ofs, allOf merges, primitives, optionals, enums.
import Foundation
import PayablesRuntime

func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T { try JSONDecoder().decode(T.self, from: Data(json.utf8)) }
func encode<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
func check(_ condition: Bool, _ message: String) { if !condition { print("FAILED: \(message)"); exit(1) } }

// oneOf with a discriminator (mapping by ref and by bare name), and an unknown branch.
guard case .dog(let dog) = try decode(Pet.self, #"{"kind":"dog","barks":true}"#) else { fatalError("dog") }
check(dog.barks == true, "dog barks")
guard case .cat = try decode(Pet.self, #"{"kind":"cat","meows":false}"#) else { fatalError("cat") }
let bird = try decode(Pet.self, #"{"kind":"bird","wings":2}"#)
// No discriminator match: the first branch that decodes wins (Cat has only optional fields).
guard case .cat = bird else { fatalError("fallback branch: \(bird)") }
// anyOf without a discriminator: each branch in order.
guard case .string("x") = try decode(StringOrNumber.self, #""x""#) else { fatalError("string") }
guard case .decimal(let n) = try decode(StringOrNumber.self, "135.85") else { fatalError("decimal") }
check(n == Decimal(string: "135.85")!, "decimal branch exact")
guard case .array(let a) = try decode(StringOrNumber.self, #"["a","b"]"#) else { fatalError("array") }
check(a == ["a", "b"], "array branch")
guard case .undocumented(let other) = try decode(StringOrNumber.self, "true") else { fatalError("undocumented") }
check(other == .bool(true), "undocumented keeps the value")
check(try encode(StringOrNumber.decimal(Decimal(string: "135.85")!)) == "135.85", "oneOf encodes its branch")

// allOf with a description is the referenced type; anyOf [X, null] is an optional X.
let described = try decode(Described.self, #"{"base":{"id":"b1"},"maybeBase":null}"#)
check(described.base?.id == "b1" && described.maybeBase == nil, "allOf wrapper and nullable anyOf")
// allOf of objects merges properties, required from every member.
check(try decode(Merged.self, #"{"id":"m","extra":3}"#).extra == 3, "merged allOf")
check((try? decode(Merged.self, #"{"id":"m"}"#)) == nil, "merged allOf keeps required")

// Primitive mapping, optionals, exact decimals, enums that Codat extends later.
let json = #"{"requiredString":"s","requiredNullable":null,"money":135.85,"int32":7,"int64":9007199254740993,"status":"Refunded","created":"2021-11-15T01:00:00","tags":["a"],"counts":{"x":1},"anything":{"k":[1,"two",null]}}"#
let everything = try decode(Everything.self, json)
check(everything.money == Decimal(string: "135.85")!, "money is an exact Decimal")
check(everything.int64 == 9007199254740993, "int64 keeps every digit")
check(everything.status == .undocumented("Refunded"), "unknown enum value decodes")
check(everything.requiredNullable == nil && everything.optionalString == nil, "nullable and optional")
check(everything.created?.text == "2021-11-15T01:00:00", "date-time keeps its text")
let again = try encode(everything)
check(again.contains(#""money":135.85"#), "135.85 stays 135.85 on the wire: \(again)")
check(again.contains(#""status":"Refunded""#), "unknown enum value re-encodes unchanged")
check(!again.contains("optionalString"), "nil optionals are omitted")
check(again.contains(#""requiredNullable":null"#), "a required, nullable member is written as null, not left out: \(again)")
check((try? decode(Everything.self, #"{"requiredNullable":null,"money":1}"#)) == nil, "a missing required property fails decoding")

// Properties beside additionalProperties: the other keys are kept and written back.
let extensible = try decode(Extensible.self, #"{"id":"e1","extra":2,"more":3}"#)
check(extensible.id == "e1" && extensible.note == nil && extensible.additionalProperties == ["extra": 2, "more": 3], "additional members decoded: \(extensible)")
check(try encode(extensible) == #"{"extra":2,"id":"e1","more":3}"#, "additional members written back: \(try encode(extensible))")
check((try? decode(Extensible.self, #"{"id":"e1","extra":"two"}"#)) == nil, "an additional member of the wrong type fails decoding")
var changed = extensible
changed.additionalProperties["id"] = 9
check(try encode(changed).contains(#""id":"e1""#), "a named member wins over an additional one of the same key")
let open = try decode(OpenEnded.self, #"{"additionalProperties":"named","self":"me","x":[1,"a"]}"#)
check(open.additionalProperties == "named" && open.`self` == "me" && open.additionalProperties2["x"] == .array([.number(1), .string("a")]),
      "additionalProperties: true keeps any value, beside a member called self: \(open)")
check(try encode(open) == #"{"additionalProperties":"named","self":"me","x":[1,"a"]}"#, "any value written back: \(try encode(open))")
print("ALL CHECKS PASSED")
