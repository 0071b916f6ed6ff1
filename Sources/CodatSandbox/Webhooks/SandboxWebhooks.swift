import Foundation

// The webhook side of the sandbox, in Swift and through the control API (CODAT-FACTS.md §4).

extension SandboxCore {
    func addWebhookConsumer(url: URL, secret: String?, eventTypes: [String]) throws -> WebhookConsumer {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else {
            throw SandboxError.badRequest("url must be an http or https URL with a host; got '\(url.absoluteString)'.")
        }
        if let empty = eventTypes.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw SandboxError.badRequest("eventTypes[\(empty)] is empty; name an event type such as billPayments.write.successful.")
        }
        let secret = secret ?? WebhookSigning.newSecret()
        if let problem = WebhookSigning.problem(secret: secret) {
            throw SandboxError.badRequest("secret: \(problem)")
        }
        let consumer = webhooks.deliveries.withLock { $0.addConsumer(url: url, secret: secret, eventTypes: eventTypes) }
        let store = store
        webhooks.startPump { store.settleAll() }
        return consumer
    }

    func deliverDueWebhooks() async {
        let store = store
        await webhooks.deliverDue { store.settleAll() }
    }

    /// `/_sandbox/webhooks/...`
    func addWebhookControlRoutes(to table: inout RouteTable) {
        let core = self
        let p = Self.controlPrefix + "/webhooks"

        table.add(.shared, "GET", p + "/consumers", "list-webhook-consumers") { _ in
            .json(try Self.encode(core.webhooks.deliveries.withLock { $0.consumers }))
        }
        table.add(.shared, "POST", p + "/consumers", "add-webhook-consumer") { request in
            struct Body: Decodable {
                var url: String
                var secret: String?
                var eventTypes: [String]?
            }
            let body = try request.decode(Body.self)
            guard let url = URL(string: body.url) else { throw SandboxError.badRequest("url '\(body.url)' is not a URL.") }
            let consumer = try core.addWebhookConsumer(url: url, secret: body.secret, eventTypes: body.eventTypes ?? [])
            return .json(try Self.encode(consumer), status: 201)
        }
        table.add(.shared, "DELETE", p + "/consumers/{id}", "remove-webhook-consumer") { request in
            guard core.webhooks.deliveries.withLock({ $0.removeConsumer(id: request.parameter("id")) }) else {
                throw SandboxError.notFound("No webhook consumer '\(request.parameter("id"))'.")
            }
            return .empty(status: 204)
        }

        table.add(.shared, "GET", p + "/messages", "list-webhook-messages") { _ in
            .json(try Self.encode(core.webhooks.deliveries.withLock { $0.log }))
        }
        table.add(.shared, "DELETE", p + "/messages", "clear-webhook-messages") { _ in
            core.webhooks.deliveries.withLock { $0.clearLog() }
            return .empty(status: 204)
        }
        table.add(.shared, "POST", p + "/deliver", "deliver-webhooks") { _ in
            await core.deliverDueWebhooks()
            return .json(try Self.encode(core.webhooks.deliveries.withLock { $0.log }))
        }

        table.add(.shared, "GET", p + "/faults", "list-webhook-faults") { _ in
            .json(try Self.encode(core.webhooks.deliveries.withLock { $0.rules }))
        }
        table.add(.shared, "POST", p + "/faults", "add-webhook-fault") { request in
            let rule = try request.decode(WebhookFaultRule.self)
            if let problem = rule.fault.problem { throw SandboxError.badRequest("The webhook fault cannot be applied: \(problem).") }
            if let remaining = rule.remaining, remaining < 1 {
                throw SandboxError.badRequest("remaining must be at least 1 (leave it out for no limit); got \(remaining).")
            }
            let added = core.webhooks.deliveries.withLock { $0.addRule(rule.fault, eventType: rule.eventType, times: rule.remaining) }
            return .json(try Self.encode(added), status: 201)
        }
        table.add(.shared, "DELETE", p + "/faults", "clear-webhook-faults") { _ in
            core.webhooks.deliveries.withLock { $0.removeAllRules() }
            return .empty(status: 204)
        }
        table.add(.shared, "DELETE", p + "/faults/{id}", "remove-webhook-fault") { request in
            guard let id = Int(request.parameter("id")), core.webhooks.deliveries.withLock({ $0.removeRule(id: id) }) else {
                throw SandboxError.notFound("No webhook fault rule '\(request.parameter("id"))'.")
            }
            return .empty(status: 204)
        }
    }
}

extension CodatSandbox {
    // MARK: Webhooks (CODAT-FACTS.md §4)

    /// Subscribes `url` to write events (`billPayments.write.successful` ...; empty: every event
    /// type). Every push outcome from now on is sent to it, signed with `secret` (a new
    /// `whsec_` secret when nil; read it from the answer), and retried on Codat's schedule on
    /// the sandbox clock while it does not answer 2xx within `configuration.webhookTimeout`.
    @discardableResult
    public func addWebhookConsumer(url: URL, secret: String? = nil, eventTypes: [String] = []) throws -> WebhookConsumer {
        try core.addWebhookConsumer(url: url, secret: secret, eventTypes: eventTypes)
    }

    public var webhookConsumers: [WebhookConsumer] {
        core.webhooks.deliveries.withLock { $0.consumers }
    }

    /// Stops sending to a consumer (its pending messages are marked failed).
    public func removeWebhookConsumer(id: String) {
        _ = core.webhooks.deliveries.withLock { $0.removeConsumer(id: id) }
    }

    /// The delivery log: every message with its attempts, oldest first.
    public var webhookMessages: [WebhookMessage] {
        core.webhooks.deliveries.withLock { $0.log }
    }

    /// Applies pushes that fell due, sends every webhook attempt due now on the sandbox clock
    /// and returns when they are answered (the pump does the same every few milliseconds).
    public func deliverDueWebhooks() async {
        await core.deliverDueWebhooks()
    }

    /// Applies `fault` to the next `times` messages (nil: until removed) of `eventType` (nil: any).
    @discardableResult
    public func injectWebhookFault(_ fault: WebhookFault, eventType: String? = nil, times: Int? = 1) -> WebhookFaultRule {
        core.webhooks.deliveries.withLock { $0.addRule(fault, eventType: eventType, times: times) }
    }

    public var webhookFaultRules: [WebhookFaultRule] {
        core.webhooks.deliveries.withLock { $0.rules }
    }

    public func clearWebhookFaults() {
        core.webhooks.deliveries.withLock { $0.removeAllRules() }
    }
}
