package factory

import (
	"os"
	"strings"

	"github.com/rafka/rafka/config"
	"github.com/rafka/rafka/sasl"
	"github.com/urfave/cli/v2"
)

// SASL is configured as Kafka's brokers configure their ZooKeeper client:
// a JAAS file and a few system properties. rafka takes the JAAS file from
// --jaas (RAFKA_JAAS) or, like Kafka's scripts, from
// -Djava.security.auth.login.config in KAFKA_OPTS; the properties from the
// -D options in KAFKA_OPTS, overridden by the same keys in the --config
// file.

const (
	flagJAAS = "jaas"
	// EnvKafkaOpts is the JVM options variable Kafka's scripts pass on.
	EnvKafkaOpts = "KAFKA_OPTS"
)

// saslFlags are the SASL flags; their values land in g.
func (g *globalFlags) saslFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: flagJAAS, EnvVars: []string{"RAFKA_JAAS"}, TakesFile: true, Destination: &g.JAAS,
			Usage: "JAAS `FILE` whose Client section (or zookeeper.sasl.clientconfig's) gives SASL credentials: " +
				"DigestLoginModule (DIGEST-MD5) or Krb5LoginModule (Kerberos) (default: -Djava.security.auth.login.config in " + EnvKafkaOpts + ")"},
	}
}

// saslProperties are the keys read from KAFKA_OPTS and the --config file.
var saslProperties = []string{
	sasl.PropLoginConfig, sasl.PropKrb5Conf, sasl.PropClientConfig, sasl.PropClient,
	sasl.PropServiceName, sasl.PropPrincipal, sasl.PropCanonicalize,
}

// saslClient resolves the SASL client; nil means no SASL. Configuration
// mistakes are usage errors; the secrets in the JAAS file never reach an
// error message.
func (g *globalFlags) saslClient() (sasl.Client, error) {
	props := map[string]string{}
	for k, v := range sasl.SystemProperties(os.Getenv(EnvKafkaOpts)) {
		props[k] = v
	}
	if g.Config != "" {
		file, err := config.LoadProperties(g.Config)
		if err != nil {
			return nil, Usage(err)
		}
		for _, k := range saslProperties {
			if v, ok := file[k]; ok {
				props[k] = strings.TrimSpace(v)
			}
		}
	}
	s := sasl.Settings{Props: props}
	path := g.JAAS
	s.JAASGiven = path != ""
	if path == "" {
		path = props[sasl.PropLoginConfig]
	}
	if path == "" {
		return nil, nil
	}
	jaas, err := sasl.ReadJAAS(path)
	if err != nil {
		return nil, Usage(err)
	}
	s.JAAS = jaas
	client, err := s.Client()
	if err != nil {
		return nil, Usagef("%s: %v", path, err)
	}
	return client, nil
}
