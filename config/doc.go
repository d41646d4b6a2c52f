// Package config reads Kafka's ZooKeeper-client configuration the way Kafka
// does: a Java properties file with the zookeeper.* keys of Kafka's ZkConfigs,
// TLS key material in PEM, PKCS12 or JKS stores, and digest credentials.
package config
