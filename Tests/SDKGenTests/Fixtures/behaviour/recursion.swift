// Compiled with generated models and run by GeneratedBehaviourTests (not part of any target).
// The hostile-codegen fixture's recursive types: wrappers, Indirect boxes, an indirect one-of.
import Foundation
import PayablesRuntime

func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T { try JSONDecoder().decode(T.self, from: Data(json.utf8)) }
func encode<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
func check(_ condition: Bool, _ message: String) { if !condition { print("FAILED: \(message)"); exit(1) } }

let tree = try decode(Tree.self, "[[],[[]]]")
check(tree.value.count == 2 && tree.value[1].value.count == 1, "Tree is an array of trees")
check(try encode(tree) == "[[],[[]]]", "Tree encodes as the bare array")
let forest = try decode(Forest.self, #"{"a":{"b":{}}}"#)
check(forest.value["a"]?.value["b"]?.value.isEmpty == true, "Forest is a map of forests")
check(try encode(forest) == #"{"a":{"b":{}}}"#, "Forest encodes as the bare map")
let mixed = try decode(Mixed.self, #"[{"k":[]}]"#)
check(mixed.value.first?["k"]?.value.isEmpty == true, "array of maps of itself")

let json = #"{"children":[{"id":"c"}],"id":"1","next":{"id":"2","next":{"id":"3"}}}"#
let node = try decode(Node.self, json)
check(node.next?.next?.id == "3" && node.next?.next?.next == nil, "Node.next chain through the box")
check(try encode(node) == json, "Node re-encodes byte for byte: \(try encode(node))")
var copy = node
copy.next?.id = "changed"
check(node.next?.id == "2" && copy.next?.id == "changed", "boxed properties keep value semantics")
let again = try decode(Node.self, json)
check(copy != node && node == again && node.hashValue == again.hashValue, "Equatable and Hashable through the box")
check(try encode(Node(id: "n")) == #"{"id":"n"}"#, "a nil boxed property is omitted")

let ping = try decode(Ping.self, #"{"pong":{"ping":{"pong":{}}}}"#)
check(ping.pong.ping?.pong.ping == nil, "a cycle of two structs (Ping.pong is required)")
check((try? decode(Ping.self, #"{}"#)) == nil, "a required boxed property is required")

guard case .sum(let sum) = try decode(Expr.self, #"{"left":"a","right":{"left":"b"}}"#) else { fatalError("sum") }
guard case .string("a")? = sum.left, case .sum(let inner)? = sum.right, case .string("b")? = inner.left else { fatalError("nested sum") }
print("ALL CHECKS PASSED")
