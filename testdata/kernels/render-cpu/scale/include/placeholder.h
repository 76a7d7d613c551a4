// Stands in for the headers of this include directory: the case checks
// the generated files, not a build.
