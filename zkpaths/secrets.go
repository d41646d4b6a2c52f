package zkpaths

// RedactData is filled in by the secrets list (see secrets.go).
func RedactData(path string, data []byte) []byte { return data }
