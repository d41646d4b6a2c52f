package zkpaths

// ValidatePath is ZooKeeper's PathUtils.validatePath (see zkValidatePath):
// the rule every path a client sends must pass. rafka checks connect
// strings' chroots and the paths users name with it before the first
// byte is sent.
func ValidatePath(p string) error { return zkValidatePath(p) }
