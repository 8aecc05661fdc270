// @hookgraph/client/receiver: verify the webhooks hookgraph sends.
export {};
