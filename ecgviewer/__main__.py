from ecgviewer.cli import main
import sys
sys.exit(main())
