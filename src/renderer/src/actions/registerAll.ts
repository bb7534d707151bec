// The one list of command modules; importing it registers every action once.
import './fileActions';
import './editActions';
import './viewActions';
import '../step/stepActions';
import '../unrolled/unrolledActions';
import '../tape/tapeActions';
import '../training/timeTravelActions';
