/// Contexts of `Models.mustache` and `Schemas.mustache` and of the partials they use (`struct`,
/// `enum`, `oneOf`, `wrapper`, `typeRef`, `doc`). Keys: `Templates/README.md`.
enum ModelContexts {
    /// `Models.mustache`: the header, `types` (one context per declaration) and
    /// `declaresIndirectBox` (this file declares the `Indirect` box).
    static func modelsFile(header: TemplateContext, types: ArraySlice<TypeDeclaration>, declaresIndirectBox: Bool) -> TemplateContext {
        var context = header
        context[.types] = .objects(types.map(type))
        context[.declaresIndirectBox] = .bool(declaresIndirectBox)
        return context
    }

    /// `Schemas.mustache`: the header and `schemas`, each a `pointer` (literal body) and its `type`.
    static func schemasFile(header: TemplateContext, schemaTypes: [(pointer: String, type: TypeRef)]) -> TemplateContext {
        var context = header
        context[.schemas] = .objects(schemaTypes.map { [.pointer: .string(Naming.stringLiteralBody($0.pointer)), .type: .object($0.type.context)] })
        return context
    }

    /// One item of `types`: every declaration has `isStruct`, `isEnum`, `isOneOf`, `isWrapper`
    /// (one is true), `name`, `doc` and `deprecated`; the rest depends on the kind.
    static func type(_ declaration: TypeDeclaration) -> TemplateContext {
        var context: TemplateContext, kind: TemplateKey
        switch declaration {
        case let .structure(d): (context, kind) = (structure(d), .isStruct)
        case let .enumeration(d): (context, kind) = (enumeration(d), .isEnum)
        case let .oneOf(d): (context, kind) = (oneOf(d), .isOneOf)
        case let .wrapper(d): (context, kind) = (wrapper(d), .isWrapper)
        }
        context.reserveCapacity(adding: 4)
        for flag in [TemplateKey.isStruct, .isEnum, .isOneOf, .isWrapper] { context[flag] = .bool(flag == kind) }
        return context
    }

    static func structure(_ d: StructDeclaration) -> TemplateContext {
        [
            .name: .string(d.name.rendered), .doc: .strings(d.doc), .deprecated: .bool(d.deprecated),
            .hasProperties: .bool(!d.properties.isEmpty),
            // Synthesized Codable omits every nil optional: a required and nullable member needs
            // the struct's own `encode(to:)`.
            .encodesNull: .bool(d.properties.contains(where: \.encodesNull)),
            // `last` in each property's literal: set afterwards, it would grow every context.
            .properties: .objects(d.properties.indices.map { property(d.properties[$0], last: $0 == d.properties.count - 1) }),
            // The other keys of the object: the struct codes itself (both directions).
            .additionalProperties: .optional(d.additionalProperties.map {
                .object([.name: .string($0.name.rendered), .valueType: .object($0.valueType.context)])
            }),
            .hasAdditionalProperties: .bool(d.additionalProperties != nil),
            .ownsEncode: .bool(d.properties.contains(where: \.encodesNull) || d.additionalProperties != nil),
        ]
    }

    static func property(_ p: PropertyDeclaration, last: Bool) -> TemplateContext {
        [
            .name: .string(p.name.rendered), .storageName: .string(p.storageName.rendered), .argumentName: .string(p.argumentName.rendered),
            .hasArgumentName: .bool(p.argumentName != p.name), .jsonKey: .string(Naming.stringLiteralBody(p.jsonName)), .type: .object(p.type.context),
            .optional: .bool(p.optional), .hasDefault: .bool(!p.required), .encodesNull: .bool(p.encodesNull),
            .doc: .strings(p.doc), .deprecated: .bool(p.deprecated), .boxed: .bool(p.boxed), .twin: .bool(p.deprecated || p.boxed),
            .last: .bool(last),
        ]
    }

    static func enumeration(_ d: EnumDeclaration) -> TemplateContext {
        [.name: .string(d.name.rendered), .doc: .strings(d.doc), .deprecated: .bool(d.deprecated),
         .cases: .objects(d.cases.map { [.name: .string($0.name.rendered), .rawValue: .string(Naming.stringLiteralBody($0.rawValue))] })]
    }

    static func oneOf(_ d: OneOfDeclaration) -> TemplateContext {
        [
            .name: .string(d.name.rendered), .doc: .strings(d.doc), .deprecated: .bool(d.deprecated), .indirect: .bool(d.indirect),
            .discriminator: .optional(d.discriminator.map { .string(Naming.stringLiteralBody($0)) }),
            .cases: .objects(d.cases.map {
                [.name: .string($0.name.rendered), .type: .object($0.type.context),
                 .discriminatorValues: .strings($0.discriminatorValues.map(Naming.stringLiteralBody))]
            }),
        ]
    }

    static func wrapper(_ d: WrapperDeclaration) -> TemplateContext {
        [.name: .string(d.name.rendered), .doc: .strings(d.doc), .deprecated: .bool(d.deprecated), .value: .object(d.value.context)]
    }
}
