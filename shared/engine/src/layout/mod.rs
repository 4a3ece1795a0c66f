//! Layout: positioned words → lines → table rows → raw results.
