# Written by envset; change with `envset set` and `envset unset`, not by hand.
