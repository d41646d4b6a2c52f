package pipeline

import (
	"errors"

	"github.com/go-zookeeper/zk"
)

func isNoNode(err error) bool { return errors.Is(err, zk.ErrNoNode) }
