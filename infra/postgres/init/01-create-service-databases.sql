-- One database per service: services never share tables (docs/docker.md). Run by the postgres image on first start,
-- i.e. when its data directory is empty. "user" and "order" are reserved words, hence the quotes.
CREATE DATABASE "user";
CREATE DATABASE inventory;
CREATE DATABASE payment;
CREATE DATABASE shipping;
CREATE DATABASE "order";
-- Not a service: the Pact Broker of the `pact-broker` compose profile keeps its pacts and verifications here.
CREATE DATABASE pact_broker;
