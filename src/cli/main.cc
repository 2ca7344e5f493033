// nba-precompute: a thin CLI over the nba_precompute_core library.
#include "cli/app.h"

int main(int argc, char** argv) { return nbapc::cli::Main(argc, argv); }
