package review

import "flag"

var update = flag.Bool("update", false, "rewrite the checked-in reviews of docs/reviews")
