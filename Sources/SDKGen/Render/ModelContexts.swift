/// Contexts of `Models.mustache` and `Schemas.mustache` and of the partials they use (`struct`,
/// `enum`, `oneOf`, `wrapper`, `typeRef`, `doc`). Keys: `Templates/README.md`.
enum ModelContexts {
    /// `Models.mustache`: the header, `types` (one context per declaration) and
    /// `declaresIndirectBox` (this file declares the `Indirect` box).
    static func modelsFile(header: TemplateContext, types: ArraySlice<TypeDeclaration>, declaresIndirectBox: Bool) -> TemplateContext {
        var context = header
        context["types"] = types.map(type)
        context["declaresIndirectBox"] = declaresIndirectBox
        return context
    }

    /// `Schemas.mustache`: the header and `schemas`, each a `pointer` (literal body) and its `type`.
    static func schemasFile(header: TemplateContext, schemaTypes: [(pointer: String, type: TypeRef)]) -> TemplateContext {
        var context = header
        context["schemas"] = schemaTypes.map { ["pointer": Naming.stringLiteralBody($0.pointer), "type": $0.type.context] as TemplateContext }
        return context
    }

    /// One item of `types`: every declaration has `isStruct`, `isEnum`, `isOneOf`, `isWrapper`
    /// (one is true), `name`, `doc` and `deprecated`; the rest depends on the kind.
    static func type(_ declaration: TypeDeclaration) -> TemplateContext {
        var context: TemplateContext = ["isStruct": false, "isEnum": false, "isOneOf": false, "isWrapper": false]
        switch declaration {
        case let .structure(d):
            context.merge(structure(d)) { $1 }
            context["isStruct"] = true
        case let .enumeration(d):
            context.merge(enumeration(d)) { $1 }
            context["isEnum"] = true
        case let .oneOf(d):
            context.merge(oneOf(d)) { $1 }
            context["isOneOf"] = true
        case let .wrapper(d):
            context.merge(wrapper(d)) { $1 }
            context["isWrapper"] = true
        }
        return context
    }

    static func structure(_ d: StructDeclaration) -> TemplateContext {
        [
            "name": d.name.rendered, "doc": d.doc, "deprecated": d.deprecated,
            "hasProperties": !d.properties.isEmpty,
            // Synthesized Codable omits every nil optional: a required and nullable member needs
            // the struct's own `encode(to:)`.
            "encodesNull": d.properties.contains(where: \.encodesNull),
            "properties": ContextValue.withLast(d.properties.map(property)),
            // The other keys of the object: the struct codes itself (both directions).
            "additionalProperties": ContextValue.optional(d.additionalProperties.map {
                ["name": $0.name.rendered, "valueType": $0.valueType.context] as TemplateContext
            }),
            "hasAdditionalProperties": d.additionalProperties != nil,
            "ownsEncode": d.properties.contains(where: \.encodesNull) || d.additionalProperties != nil,
        ]
    }

    static func property(_ p: PropertyDeclaration) -> TemplateContext {
        [
            "name": p.name.rendered, "storageName": p.storageName.rendered, "argumentName": p.argumentName.rendered,
            "hasArgumentName": p.argumentName != p.name, "jsonKey": Naming.stringLiteralBody(p.jsonName), "type": p.type.context,
            "optional": p.optional, "hasDefault": !p.required, "encodesNull": p.encodesNull,
            "doc": p.doc, "deprecated": p.deprecated, "boxed": p.boxed, "twin": p.deprecated || p.boxed,
        ]
    }

    static func enumeration(_ d: EnumDeclaration) -> TemplateContext {
        ["name": d.name.rendered, "doc": d.doc, "deprecated": d.deprecated,
         "cases": d.cases.map { ["name": $0.name.rendered, "rawValue": Naming.stringLiteralBody($0.rawValue)] as TemplateContext }]
    }

    static func oneOf(_ d: OneOfDeclaration) -> TemplateContext {
        [
            "name": d.name.rendered, "doc": d.doc, "deprecated": d.deprecated, "indirect": d.indirect,
            "discriminator": ContextValue.optional(d.discriminator.map(Naming.stringLiteralBody)),
            "cases": d.cases.map {
                ["name": $0.name.rendered, "type": $0.type.context, "discriminatorValues": $0.discriminatorValues.map(Naming.stringLiteralBody)] as TemplateContext
            },
        ]
    }

    static func wrapper(_ d: WrapperDeclaration) -> TemplateContext {
        ["name": d.name.rendered, "doc": d.doc, "deprecated": d.deprecated, "value": d.value.context]
    }
}
