// Package fileio is the one way rafka reads and writes local files.
//
// Every file rafka writes (snapshots, backups, journals, completion
// scripts, man pages) goes through Write: only regular files are written,
// through a temporary file in the same directory that is fsynced and then
// linked or renamed into place, so a device node, FIFO, directory or
// symbolic link found at the target is refused, never replaced or
// followed, and "-" means standard output.
//
// Every file rafka reads (configuration, credentials, JAAS, TLS stores,
// snapshots, backups) goes through Open or ReadFile: the file must be a
// regular one (a FIFO is refused without blocking), and reads are bounded
// in bytes, in line length and, for gzip, in decompressed size.
package fileio
