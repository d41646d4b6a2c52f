package cmd

import "embed"

// The long help of the commands and the completion scripts: text, kept
// out of the code.
//
//go:embed help/*.txt
var helpFiles embed.FS

// help is the text of help/name.txt.
func help(name string) string {
	b, err := helpFiles.ReadFile("help/" + name + ".txt")
	if err != nil {
		panic(err) // embedded at build time: a missing file is a bug
	}
	return string(b)
}
