// Stands in for a kernel source: the case checks the generated files,
// not a build.
