# Written by envset; change with `envset set`, `envset unset` and `envset path`, not by hand.
