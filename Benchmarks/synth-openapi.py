#!/usr/bin/env python3
"""Writes a synthetic OpenAPI 3.1 document with about SCHEMAS component schemas (for
Benchmarks/generator-scale.sh). Deterministic: the same SCHEMAS always gives the same bytes.

The document is built like the large real ones (Codat's, Stripe's, GitHub's): entities in
groups of seven schemas, each group
  - `EntityNStatus` and `EntityNKind`: string enums;
  - `EntityNSummary`: a small object;
  - `EntityNLine`: an object with `$ref`s to another entity's line and status, an inline
    object (a nested declaration), arrays, a map, nullable and formatted members;
  - `EntityN`: `allOf` of the shared `Resource` base and its own properties (required ones,
    an array of lines, a `$ref` to an earlier entity, every 50th entity contains itself
    through an array);
  - `EntityNRef`: a `oneOf` of this entity and an earlier one, with a discriminator mapping;
  - `EntityNPage`: a page of entities (`results`, page numbers, the shared `Links`);
and two or three operations an entity: a list with query parameters, a read by id, and
(every other entity) a create with a request body. Errors are shared `components/responses`.
About 770 bytes a schema: 4,000 schemas make a document of about 3 MB.

    python3 Benchmarks/synth-openapi.py SCHEMAS OUTPUT.yaml
"""
import sys

WORDS = ("account amount balance bill company connection currency customer date "
         "description item journal ledger line payment period reference status supplier "
         "tax tracking transfer value").split()


def sentence(seed, count):
    """A description of `count` words that depends only on `seed`."""
    words = [WORDS[(seed * 7 + i * 13) % len(WORDS)] for i in range(count)]
    return (" ".join(words)).capitalize() + "."


def entity_schemas(n, out):
    earlier = n // 2  # an earlier entity (itself for 0): the reference graph is a tree plus self-loops
    other = (n * 37 + 11) % (n + 1)  # another earlier entity (or itself)
    name = f"Entity{n}"
    values = ["Draft", "Open", "PartiallyPaid", "Paid", "Void", "Unknown"][: 3 + n % 4]
    out.append(f"    {name}Status:")
    out.append(f"      title: {name} status")
    out.append(f"      description: {sentence(n, 14)}")
    out.append("      type: string")
    out.append("      enum:")
    out.extend(f"        - {v}" for v in values)
    out.append(f"      example: {values[1]}")

    out.append(f"    {name}Kind:")
    out.append("      type: string")
    out.append("      enum: [Standard, Recurring, Adjustment]")

    out.append(f"    {name}Summary:")
    out.append("      type: object")
    out.append("      required: [id]")
    out.append("      properties:")
    out.append("        id:")
    out.append("          type: string")
    out.append("        name:")
    out.append("          type: [string, 'null']")
    out.append("        status:")
    out.append(f"          $ref: '#/components/schemas/{name}Status'")
    out.append("        kind:")
    out.append(f"          $ref: '#/components/schemas/{name}Kind'")

    out.append(f"    {name}Line:")
    out.append(f"      title: {name} line")
    out.append("      type: object")
    out.append("      required: [id, quantity]")
    out.append("      properties:")
    out.append("        id:")
    out.append("          type: string")
    out.append("          format: uuid")
    out.append("          description: Identifier of the line, unique within its parent.")
    out.append("        description:")
    out.append("          type: [string, 'null']")
    out.append(f"          description: {sentence(n + 1, 10)}")
    out.append("        quantity:")
    out.append("          type: number")
    out.append("          format: decimal")
    out.append("          example: 1.5")
    out.append("        unitAmount:")
    out.append("          type: number")
    out.append("          format: decimal")
    out.append("        status:")
    out.append(f"          $ref: '#/components/schemas/Entity{other}Status'")
    out.append("        owner:")
    out.append(f"          $ref: '#/components/schemas/{name}Summary'")
    out.append("        related:")
    out.append("          type: array")
    out.append("          items:")
    out.append(f"            $ref: '#/components/schemas/Entity{earlier}Line'")
    out.append("        tracking:")
    out.append("          type: object")
    out.append(f"          description: {sentence(n + 2, 8)}")
    out.append("          properties:")
    out.append("            category:")
    out.append("              type: string")
    out.append("            recordRef:")
    out.append("              type: string")
    out.append("            weight:")
    out.append("              type: integer")
    out.append("              format: int32")
    out.append("        attributes:")
    out.append("          type: object")
    out.append("          additionalProperties:")
    out.append("            type: string")

    out.append(f"    {name}:")
    out.append(f"      title: {name}")
    out.append(f"      description: {sentence(n + 3, 16)}")
    out.append("      allOf:")
    out.append("        - $ref: '#/components/schemas/Resource'")
    out.append("        - type: object")
    out.append("          required: [status, totalAmount]")
    out.append("          properties:")
    out.append("            status:")
    out.append(f"              $ref: '#/components/schemas/{name}Status'")
    out.append("            totalAmount:")
    out.append("              type: number")
    out.append("              format: decimal")
    out.append(f"              description: {sentence(n + 4, 9)}")
    out.append("            currency:")
    out.append("              type: string")
    out.append("              example: GBP")
    out.append("            issueDate:")
    out.append("              type: string")
    out.append("              format: date-time")
    out.append("            lineItems:")
    out.append("              type: array")
    out.append("              items:")
    out.append(f"                $ref: '#/components/schemas/{name}Line'")
    out.append("            parent:")
    out.append(f"              $ref: '#/components/schemas/Entity{earlier}Ref'")
    out.append("            note:")
    out.append("              type: [string, 'null']")
    out.append("              maxLength: 4000")
    if n % 50 == 0:
        out.append("            children:")
        out.append("              type: array")
        out.append("              items:")
        out.append(f"                $ref: '#/components/schemas/{name}'")

    out.append(f"    {name}Ref:")
    out.append(f"      description: {sentence(n + 5, 8)}")
    out.append("      oneOf:")
    out.append(f"        - $ref: '#/components/schemas/{name}'")
    if other != n:
        out.append(f"        - $ref: '#/components/schemas/Entity{other}'")
    out.append("      discriminator:")
    out.append("        propertyName: kind")
    out.append("        mapping:")
    out.append(f"          entity{n}: '#/components/schemas/{name}'")
    if other != n:
        out.append(f"          entity{other}: '#/components/schemas/Entity{other}'")

    out.append(f"    {name}Page:")
    out.append("      type: object")
    out.append("      required: [results, pageNumber, pageSize, totalResults]")
    out.append("      properties:")
    out.append("        results:")
    out.append("          type: array")
    out.append("          items:")
    out.append(f"            $ref: '#/components/schemas/{name}'")
    out.append("        pageNumber:")
    out.append("          type: integer")
    out.append("          format: int32")
    out.append("        pageSize:")
    out.append("          type: integer")
    out.append("          format: int32")
    out.append("        totalResults:")
    out.append("          type: integer")
    out.append("          format: int32")
    out.append("        _links:")
    out.append("          $ref: '#/components/schemas/Links'")


def entity_paths(n, out):
    name = f"Entity{n}"
    out.append(f"  /companies/{{companyId}}/entities{n}:")
    out.append("    parameters:")
    out.append("      - $ref: '#/components/parameters/companyId'")
    out.append("    get:")
    out.append(f"      operationId: list-entity{n}")
    out.append(f"      summary: List entity {n}")
    out.append(f"      description: {sentence(n + 6, 12)}")
    out.append(f"      tags: [Group{n % 20}]")
    out.append("      parameters:")
    out.append("        - $ref: '#/components/parameters/page'")
    out.append("        - $ref: '#/components/parameters/pageSize'")
    out.append("        - name: query")
    out.append("          in: query")
    out.append("          schema:")
    out.append("            type: string")
    out.append("        - name: status")
    out.append("          in: query")
    out.append("          schema:")
    out.append(f"            $ref: '#/components/schemas/{name}Status'")
    out.append("      responses:")
    out.append("        '200':")
    out.append("          description: OK")
    out.append("          content:")
    out.append("            application/json:")
    out.append("              schema:")
    out.append(f"                $ref: '#/components/schemas/{name}Page'")
    out.append("        '401':")
    out.append("          $ref: '#/components/responses/Unauthorized'")
    out.append("        '404':")
    out.append("          $ref: '#/components/responses/NotFound'")
    if n % 2 == 0:
        out.append("    post:")
        out.append(f"      operationId: create-entity{n}")
        out.append(f"      summary: Create entity {n}")
        out.append(f"      tags: [Group{n % 20}]")
        out.append("      requestBody:")
        out.append("        required: true")
        out.append("        content:")
        out.append("          application/json:")
        out.append("            schema:")
        out.append(f"              $ref: '#/components/schemas/{name}'")
        out.append("      responses:")
        out.append("        '200':")
        out.append("          description: Created")
        out.append("          content:")
        out.append("            application/json:")
        out.append("              schema:")
        out.append(f"                $ref: '#/components/schemas/{name}'")
        out.append("        '400':")
        out.append("          $ref: '#/components/responses/BadRequest'")
    out.append(f"  /companies/{{companyId}}/entities{n}/{{entityId}}:")
    out.append("    get:")
    out.append(f"      operationId: get-entity{n}")
    out.append(f"      summary: Get entity {n}")
    out.append(f"      tags: [Group{n % 20}]")
    out.append("      parameters:")
    out.append("        - $ref: '#/components/parameters/companyId'")
    out.append("        - name: entityId")
    out.append("          in: path")
    out.append("          required: true")
    out.append("          schema:")
    out.append("            type: string")
    out.append("      responses:")
    out.append("        '200':")
    out.append("          description: OK")
    out.append("          content:")
    out.append("            application/json:")
    out.append("              schema:")
    out.append(f"                $ref: '#/components/schemas/{name}'")
    out.append("        '404':")
    out.append("          $ref: '#/components/responses/NotFound'")


SHARED_SCHEMAS = """    Resource:
      type: object
      required: [id]
      properties:
        id:
          type: string
          description: Identifier of the record.
        modifiedDate:
          type: string
          format: date-time
        metadata:
          type: object
          additionalProperties: true
    Links:
      type: object
      properties:
        self:
          $ref: '#/components/schemas/Link'
        next:
          $ref: '#/components/schemas/Link'
        previous:
          $ref: '#/components/schemas/Link'
    Link:
      type: object
      required: [href]
      properties:
        href:
          type: string
          format: uri
    ErrorMessage:
      type: object
      properties:
        statusCode:
          type: integer
        error:
          type: string
        correlationId:
          type: string
        canBeRetried:
          type: string
"""

HEADER = """openapi: 3.1.0
info:
  title: Synthetic scale benchmark ({schemas} schemas)
  version: 1.0.0
  description: Written by Benchmarks/synth-openapi.py for Benchmarks/generator-scale.sh.
servers:
  - url: https://api.example.invalid
security:
  - apiKey: []
"""

COMPONENTS_TAIL = """  parameters:
    companyId:
      name: companyId
      in: path
      required: true
      schema:
        type: string
        format: uuid
    page:
      name: page
      in: query
      required: true
      schema:
        type: integer
        format: int32
        minimum: 1
        default: 1
    pageSize:
      name: pageSize
      in: query
      schema:
        type: integer
        format: int32
        maximum: 5000
        default: 100
  responses:
    BadRequest:
      description: The request was not valid.
      content:
        application/json:
          schema:
            $ref: '#/components/schemas/ErrorMessage'
    Unauthorized:
      description: Your API request was not properly authorized.
      content:
        application/json:
          schema:
            $ref: '#/components/schemas/ErrorMessage'
    NotFound:
      description: The record was not found.
      content:
        application/json:
          schema:
            $ref: '#/components/schemas/ErrorMessage'
  securitySchemes:
    apiKey:
      type: apiKey
      name: Authorization
      in: header
"""


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: synth-openapi.py SCHEMAS OUTPUT.yaml")
    schemas = int(sys.argv[1])
    entities = max(1, (schemas - 4) // 7)
    out = [HEADER.format(schemas=schemas).rstrip("\n"), "paths:"]
    for n in range(entities):
        entity_paths(n, out)
    out.append("components:")
    out.append("  schemas:")
    out.append(SHARED_SCHEMAS.rstrip("\n"))
    for n in range(entities):
        entity_schemas(n, out)
    out.append(COMPONENTS_TAIL.rstrip("\n"))
    with open(sys.argv[2], "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
